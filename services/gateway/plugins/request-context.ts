import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { userHeader } from '../../../lib/identity-headers.ts'
import fp from 'fastify-plugin'
import { loadConfig } from '../../../lib/config.ts'
import { RateLimiter } from '../lib/rate-limit.ts'

// The composed route may name its parameter differently.
function sameRoute (template: string, url: string | undefined): boolean {
  return url !== undefined && url.replace(/:[^/]+/g, ':') === template.replace(/:[^/]+/g, ':')
}

// After auth (file order): request logs carry the verified user id, a user
// row exists from the first authenticated request on, and POST /challenges
// and compares are limited per user.
async function requestContext (app: FastifyInstance) {
  const config = loadConfig()
  const knownUsers = new Set<string>()

  async function ensureUser (userId: string, log: FastifyBaseLogger) {
    try {
      const response = await fetch(`${config.QUESTION_MANAGER_SERVICE_URL}/internal/users`, {
        method: 'POST',
        headers: { [userHeader]: userId },
        signal: AbortSignal.timeout(3000)
      })
      if (!response.ok) throw new Error(`status ${response.status}`)
      if (knownUsers.size > 100_000) knownUsers.clear()
      knownUsers.add(userId)
    } catch (error) {
      // Not fatal: every route that needs the row creates it too.
      log.warn({ err: { message: (error as Error).message } }, 'could not record a new user yet')
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    if (!request.playgroundUser) return
    const log = request.log.child({ userId: request.playgroundUser.id })
    request.log = log
    reply.log = log
    if (!knownUsers.has(request.playgroundUser.id)) await ensureUser(request.playgroundUser.id, log)
  })

  // Runs cost the runner; compares on hidden datasets tell one bit each, so
  // both are limited per user.
  const limits = [
    { method: 'POST', route: '/challenges', limit: config.CHALLENGE_RATE_LIMIT, what: 'queries' },
    { method: 'GET', route: '/challenges/:id/compare', limit: config.COMPARE_RATE_LIMIT, what: 'compares' }
  ].map(rule => ({ ...rule, limiter: new RateLimiter({ limit: rule.limit, windowMs: 60_000 }) }))

  app.addHook('preHandler', async (request, reply) => {
    if (!request.playgroundUser) return
    const rule = limits.find(candidate => candidate.method === request.method && sameRoute(candidate.route, request.routeOptions.url))
    if (!rule) return
    const decision = rule.limiter.take(request.playgroundUser.id)
    if (!decision.allowed) {
      return reply.code(429).header('retry-after', String(decision.retryAfterSeconds)).send({
        message: `too many ${rule.what}: at most ${rule.limit} a minute; try again in ${decision.retryAfterSeconds} s`
      })
    }
  })
}

export default fp(requestContext, { name: 'request-context', dependencies: ['playground-auth'] })
