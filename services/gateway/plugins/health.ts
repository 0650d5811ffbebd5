import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { publicOperations } from '../lib/scopes.ts'

const state = { type: 'string', enum: ['ok', 'unavailable'] } as const

// Always 200 while the gateway serves (as the original); the body says, ok
// or not per dependency, whether what is behind the gateway works. Details
// go to the logs and metrics.
async function health (app: FastifyInstance) {
  const url = `${app.settings.QUESTION_MANAGER_SERVICE_URL}/healthz`
  const route = {
    schema: {
      tags: ['Health'],
      response: {
        200: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['ok', 'degraded'] },
            services: {
              type: 'object',
              properties: { questions: state, database: state, runner: state, cache: state },
              required: ['questions', 'database', 'runner', 'cache']
            }
          },
          required: ['status', 'services']
        }
      }
    }
  }
  app.applyPolicy(publicOperations.find(operation => operation.path === '/healthz')!, route)

  app.get('/healthz', route, async () => {
    let body: Record<string, string> = {}
    let questions: 'ok' | 'unavailable' = 'unavailable'
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
      body = await response.json() as Record<string, string>
      if (response.ok) questions = 'ok'
    } catch {}
    const services = {
      questions,
      database: body.database === 'ok' ? 'ok' : 'unavailable',
      runner: body.runner === 'ok' ? 'ok' : 'unavailable',
      cache: body.cache === 'ok' ? 'ok' : 'unavailable'
    }
    return { status: Object.values(services).every(value => value === 'ok') ? 'ok' : 'degraded', services }
  })
}

export default fp(health, { name: 'health', dependencies: ['settings', 'route-policy'] })
