// Reads the settings table once per service and decorates the instance with
// it, so no route or hook parses the environment again.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { loadConfig, type Config } from './config.ts'

declare module 'fastify' {
  interface FastifyInstance {
    settings: Config
  }
}

async function settings (app: FastifyInstance) {
  app.decorate('settings', loadConfig())
}

export default fp(settings, { name: 'settings' })
