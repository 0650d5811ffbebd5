import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the answer is the same for every user: the gateway may keep it for a moment */
    sharedRead?: boolean
  }
}

// How long the runtime's HTTP cache (platformatic.runtime.json `httpCache`)
// may answer a shared read without asking this service again: what a
// teacher changes shows within this time.
const SHARED_READ_SECONDS = 2

// Reads whose answer does not depend on who asks (the catalogue) say so on
// their route; they are marked public (the request carries the user's
// token) and cacheable for a moment.
async function sharedReads (app: FastifyInstance) {
  app.addHook('onSend', async (request, reply) => {
    if (request.routeOptions.config.sharedRead && reply.statusCode === 200) {
      reply.header('cache-control', `public, max-age=${SHARED_READ_SECONDS}`)
    }
  })
}

export default fp(sharedReads, { name: 'shared-reads' })
