import type { FastifyError, FastifyInstance } from 'fastify'

// PostgreSQL's constraint errors are the client's fault: answer them with a
// clear 4xx `{ message }` instead of a 500.
const byCode: Record<string, { status: number, message: (detail: string) => string }> = {
  23001: { status: 409, message: detail => `the record is still used by other records${detail}` },
  23503: { status: 409, message: detail => `the record refers to a missing record, or is still used by other records${detail}` },
  23505: { status: 409, message: detail => `a record with the same key already exists${detail}` },
  23514: { status: 400, message: detail => `a value is not allowed${detail}` },
  23502: { status: 400, message: detail => `a required value is missing${detail}` },
  '22P02': { status: 400, message: detail => `a value has the wrong type${detail}` },
  22001: { status: 400, message: detail => `a value is too long${detail}` }
}

function describeConstraint (error: { constraint?: string, column?: string }): string {
  if (error.column) return ` (${error.column})`
  if (error.constraint) return ` (${error.constraint})`
  return ''
}

export default async function databaseErrors (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError & { code?: string, constraint?: string, column?: string }, request, reply) => {
    const known = error.code ? byCode[error.code] : undefined
    if (known) {
      return reply.code(known.status).send({ message: known.message(describeConstraint(error)) })
    }
    const status = error.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(status).send({ message: 'internal error' })
    }
    return reply.code(status).send({ message: error.message })
  })
}
