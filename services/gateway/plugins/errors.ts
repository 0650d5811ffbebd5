import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { installErrorHandler } from '../../../lib/error-handler.ts'

// Errors raised at the gateway itself (bad JSON, a body over the limit, a
// request that fails validation) leave as `{ message }` like the services'.
async function errors (app: FastifyInstance) {
  installErrorHandler(app)
}

export default fp(errors, { name: 'errors' })
