import type { FastifyInstance } from 'fastify'

export default async function health (app: FastifyInstance) {
  app.get('/healthz', { schema: { hide: true } as object }, async (request, reply) => {
    try {
      await app.platformatic.db.query(app.platformatic.sql`SELECT 1`)
      return { status: 'ok', database: 'ok' }
    } catch (error) {
      // The reason goes to the log: this answer reaches the public /healthz.
      request.log.warn({ err: { message: (error as Error).message } }, 'database health check failed')
      return reply.code(503).send({ status: 'degraded', database: 'unavailable' })
    }
  })
}
