import type { FastifyInstance } from 'fastify'
import cors from '@fastify/cors'
import fp from 'fastify-plugin'

// CORS for the origins in CORS_ORIGINS. A browser's preflight (OPTIONS) is
// answered here; tokens are only asked for by the public operations' routes.
async function accessControl (app: FastifyInstance) {
  const origins = app.settings.CORS_ORIGINS
  if (origins.length === 0) return
  await app.register(cors, {
    origin: origins.includes('*') ? true : origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['retry-after', 'www-authenticate'],
    maxAge: 600
  })
}

export default fp(accessControl, { name: 'access-control', dependencies: ['settings'] })
