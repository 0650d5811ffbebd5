import type { FastifyInstance } from 'fastify'
import { schemaKey, structureOfSql } from '../lib/challenges.ts'
import { RunError, SchemaError } from '../lib/run-errors.ts'

// For the questions service only (hidden from the OpenAPI document, so the
// gateway never composes it): checks a teacher's SQL before it is saved.
export default async function internalRoutes (app: FastifyInstance) {
  app.post('/internal/check', {
    schema: {
      hide: true,
      body: {
        type: 'object',
        properties: { initial_sql: { type: 'string', minLength: 1 }, query: { type: 'string' } },
        required: ['initial_sql']
      }
    } as object
  }, async (request, reply) => {
    const { initial_sql: initialSql, query } = request.body as { initial_sql: string, query?: string }
    try {
      await app.runner.pool.run({ schemaKey: schemaKey(initialSql), initialSql, query: query ?? '' })
    } catch (error) {
      if (error instanceof SchemaError) return reply.code(422).send({ stage: 'schema', message: error.message })
      if (error instanceof RunError && error.status === 422) return reply.code(422).send({ stage: 'query', message: error.message })
      throw error
    }
    return reply.code(204).send()
  })

  app.post('/internal/structure', {
    schema: {
      hide: true,
      body: { type: 'object', properties: { initial_sql: { type: 'string', minLength: 1 } }, required: ['initial_sql'] }
    } as object
  }, async (request, reply) => {
    const { initial_sql: initialSql } = request.body as { initial_sql: string }
    try {
      return { tables: await structureOfSql(app.runner, 'internal', initialSql) }
    } catch (error) {
      if (error instanceof SchemaError) return reply.code(422).send({ stage: 'schema', message: error.message })
      throw error
    }
  })
}
