import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'

const healthRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.get('/healthz', {
    schema: {
      summary: 'Whether the runner and its cache work',
      tags: ['Health'],
      response: {
        200: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['ok', 'degraded'] }, cache: { type: 'string', enum: ['ok', 'unavailable'] } },
          required: ['status', 'cache']
        }
      }
    }
  }, async () => {
    // Degraded still serves: runs work, only caching is down. Details (pool
    // sizes, the cache's state) go to the log and metrics, not here.
    const ok = app.runs.cache.health().ok
    return { status: ok ? 'ok' : 'degraded', cache: ok ? 'ok' : 'unavailable' } as const
  })
}

export default healthRoutes
