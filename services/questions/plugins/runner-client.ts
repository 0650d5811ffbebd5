import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createRunnerClient, type RunnerClient } from '../lib/runner-client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    runner: RunnerClient
  }
}

// The SQL runner, through the runtime's mesh or (standalone) mutual TLS.
async function runnerClient (app: FastifyInstance) {
  app.decorate('runner', createRunnerClient(app.settings.DB_RUNNER_SERVICE_URL))
}

export default fp(runnerClient, { name: 'runner-client', dependencies: ['settings'] })
