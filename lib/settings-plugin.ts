// Reads the settings table once per service and decorates the instance with
// it, so no route or hook parses the environment again.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ConfigError, loadConfig, type Config } from './config.ts'

declare module 'fastify' {
  interface FastifyInstance {
    settings: Config
  }
}

async function settings (app: FastifyInstance) {
  app.decorate('settings', loadConfig())
}

/**
 * What several instances share (rate limits, results) lives in Redis; the
 * in-process stand-ins suit one process in development only, so production
 * refuses to start without it.
 */
export function requireSharedStore (config: Config, what: string): void {
  if (config.NODE_ENV === 'production' && config.REDIS_URL === '') {
    throw new ConfigError('REDIS_URL', `must be set when NODE_ENV=production: instances share ${what} through Redis`)
  }
}

export default fp(settings, { name: 'settings' })
