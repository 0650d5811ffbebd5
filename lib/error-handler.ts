import type { FastifyError, FastifyInstance } from 'fastify'
import { validationMessage } from './validation-message.ts'

// Every error leaves a service as `{ message }`: a 4xx says what was wrong;
// a 500 says nothing of internals (they go to the log); a 503 says to retry.
export function installErrorHandler (app: FastifyInstance, translate: (error: unknown) => unknown = error => error) {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    if (raw.validation) {
      return reply.code(400).send({ message: validationMessage(raw) })
    }
    const error = translate(raw) as FastifyError
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode <= 599 ? error.statusCode : 500
    if (status >= 500) {
      request.log.error({ err: raw }, 'request failed')
      if (status !== 503 && !(error as { expose?: boolean }).expose) return reply.code(status).send({ message: 'internal error' })
    }
    const { details, headers } = error as { details?: Record<string, unknown>, headers?: Record<string, string> }
    if (headers) reply.headers(headers)
    return reply.code(status).send({ message: error.message, ...details })
  })
}
