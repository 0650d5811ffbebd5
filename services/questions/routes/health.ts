import type { FastifyInstance } from 'fastify'

export default async function health (app: FastifyInstance) {
  app.get('/healthz', { schema: { hide: true } as object }, async (_request, reply) => {
    try {
      await app.platformatic.db.query(app.platformatic.sql`SELECT 1`)
      return { status: 'ok', database: 'ok' }
    } catch (error) {
      return reply.code(503).send({ status: 'degraded', database: (error as Error).message })
    }
  })
}
