import type { FastifyInstance } from 'fastify'

export default async function health (app: FastifyInstance) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
}
