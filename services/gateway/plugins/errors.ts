import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { installErrorHandler } from '../../../lib/error-handler.ts'

// Errors raised at the gateway itself (bad JSON, a body over the limit, a
// request that fails validation) leave as `{ message }` like the services'.
// Only public operations and the gateway's own pages are routed: anything
// else is a plain 404.
async function errors (app: FastifyInstance) {
  installErrorHandler(app)
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ message: 'not found' }))
  // Platformatic Gateway 3.54 always mounts its raw composed document and a
  // Scalar page under /documentation, with no setting to leave them out;
  // this API publishes its document at /openapi.json and /openapi/docs.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url?.startsWith('/documentation')) return reply.code(404).send({ message: 'not found' })
  })
}

export default fp(errors, { name: 'errors' })
