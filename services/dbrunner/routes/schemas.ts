import type { FastifyInstance } from 'fastify'
import { schemaStructure } from '../lib/challenges.ts'
import { errorResponses, structureSchema } from '../lib/api-schemas.ts'

export default async function schemaRoutes (app: FastifyInstance) {
  app.get('/schemas/:id/structure', {
    schema: {
      summary: 'Get the tables and columns of a schema',
      tags: ['Schemas'],
      params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } }, required: ['id'] },
      response: { 200: structureSchema, ...errorResponses }
    }
  }, async request => schemaStructure(app.runner, (request.params as { id: string }).id))
}
