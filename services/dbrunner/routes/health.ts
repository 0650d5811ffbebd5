import type { FastifyInstance } from 'fastify'

export default async function health (app: FastifyInstance) {
  app.get('/healthz', { schema: { hide: true } as object }, async (_request, reply) => {
    const cache = app.runner.cache.health()
    const pool = app.runner.pool.stats()
    // Degraded still serves: runs work, only caching is down.
    return reply.code(200).send({ status: cache.ok ? 'ok' : 'degraded', cache: cache.detail, pool })
  })
}
