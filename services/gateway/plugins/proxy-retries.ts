import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'

type From = (this: FastifyReply, source?: string, options?: Record<string, unknown>) => FastifyReply

// The proxy to the services would repeat a GET that got 503 up to ten times.
// The services answer 503 only after their own bounded wait (the database
// or the cache is away), so repeating it makes the client wait ten times as
// long for the same answer: a 503 goes back to the client at once.
async function proxyRetries (app: FastifyInstance) {
  app.addHook('preHandler', async (_request, reply) => {
    const from = (reply as unknown as { from?: From }).from
    if (typeof from !== 'function') return
    ;(reply as unknown as { from: From }).from = function (source, options) {
      return from.call(this, source, { ...options, retryDelay: () => null })
    }
  })
}

export default fp(proxyRetries, { name: 'proxy-retries' })
