import type { FastifyInstance } from 'fastify'
import cors from '@fastify/cors'
import fp from 'fastify-plugin'
import { loadConfig } from '../../../lib/config.ts'

// CORS for the origins in CORS_ORIGINS. Loaded before the auth plugin (file
// order), so a browser's preflight is answered before any token is asked for.
async function accessControl (app: FastifyInstance) {
  const origins = loadConfig().CORS_ORIGINS
  if (origins.length === 0) return
  await app.register(cors, {
    origin: origins.includes('*') ? true : origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['retry-after', 'www-authenticate'],
    maxAge: 600
  })
}

export default fp(accessControl, { name: 'access-control' })
