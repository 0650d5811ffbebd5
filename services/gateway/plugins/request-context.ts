import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { loadConfig } from '../../../lib/config.ts'
import { RateLimiter } from '../lib/rate-limit.ts'

// After auth (file order): request logs carry the verified user id, and
// POST /challenges is limited per user.
async function requestContext (app: FastifyInstance) {
  const limiter = new RateLimiter({ limit: loadConfig().CHALLENGE_RATE_LIMIT, windowMs: 60_000 })

  app.addHook('onRequest', async (request, reply) => {
    if (!request.playgroundUser) return
    const log = request.log.child({ userId: request.playgroundUser.id })
    request.log = log
    reply.log = log
  })

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/challenges' || !request.playgroundUser) return
    const decision = limiter.take(request.playgroundUser.id)
    if (!decision.allowed) {
      return reply.code(429).header('retry-after', String(decision.retryAfterSeconds)).send({
        message: `too many queries: at most ${loadConfig().CHALLENGE_RATE_LIMIT} a minute; try again in ${decision.retryAfterSeconds} s`
      })
    }
  })
}

export default fp(requestContext, { name: 'request-context', dependencies: ['playground-auth'] })
