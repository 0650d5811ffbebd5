import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { checkBody, errorResponses, structureBody, structureReply } from '../lib/api-schemas.ts'
import { asRunFailure } from '../lib/run-failure.ts'
import { runUncached } from '../lib/runs.ts'
import { structureOf } from '../lib/structure.ts'

// Checks of teachers' SQL before it is saved (without the cache: they work
// while it is away), and the structure of a database.
const databaseRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.post('/checks', {
    schema: {
      summary: 'Check that database SQL builds and, if given, that a query runs on it',
      tags: ['Databases'],
      body: checkBody,
      response: { 204: { type: 'null' }, ...errorResponses }
    }
  }, async (request, reply) => {
    const { database, query, owner } = request.body
    await runUncached(app.runs, { database, query: query ?? '', owner }).catch(error => { throw asRunFailure(error, 'query') })
    return reply.code(204).send(null)
  })

  app.post('/structures', {
    schema: {
      summary: 'The tables and columns that database SQL creates',
      tags: ['Databases'],
      body: structureBody,
      response: { 200: structureReply, ...errorResponses }
    }
  }, async request => ({ tables: await structureOf(app.runs, request.body.database, request.body.owner).catch(error => { throw asRunFailure(error, 'query') }) }))
}

export default databaseRoutes
