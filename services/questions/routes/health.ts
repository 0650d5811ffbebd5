import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'

const state = { type: 'string', enum: ['ok', 'unavailable'] } as const

export const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    database: state,
    runner: state,
    cache: state
  },
  required: ['status', 'database', 'runner', 'cache'],
  additionalProperties: false
} as const

// Whether this service, its database and the runner behind it work: ok or
// not per dependency. Reasons go to the log, never into this answer. Not in
// the OpenAPI document: the gateway has its own /healthz and asks this one.
const healthRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.get('/healthz', {
    schema: { hide: true, summary: 'Health of the questions service and what it depends on', tags: ['Health'], response: { 200: healthSchema, 503: healthSchema } }
  }, async (request, reply) => {
    const [database, runner] = await Promise.all([
      app.platformatic.db.query(app.platformatic.sql`SELECT 1`).then(() => 'ok' as const, (error: Error) => {
        request.log.warn({ err: { message: error.message } }, 'database health check failed')
        return 'unavailable' as const
      }),
      app.runner.health()
    ])
    const ok = database === 'ok' && runner.runner === 'ok' && runner.cache === 'ok'
    // Without its database this service cannot serve: 503. A runner or cache
    // problem leaves the catalogue readable: degraded.
    return reply.code(database === 'ok' ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, ...runner })
  })
}

export default healthRoutes
