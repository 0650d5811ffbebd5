import type { FastifyError, FastifyInstance } from 'fastify'
import { translateDatabaseError } from '../lib/database-errors.ts'

type Operation = (options: unknown) => Promise<unknown>

function translating (original: Operation, options: unknown) {
  return original(options).catch(error => { throw translateDatabaseError(error) })
}

export default async function databaseErrors (app: FastifyInstance) {
  // The generated CRUD routes were registered before this plugin, so they are
  // reached through the mapper's hooks rather than through an error handler.
  const platformatic = app.platformatic as unknown as {
    entities: Record<string, unknown>
    addEntityHooks: (name: string, hooks: Record<string, (original: Operation, options: unknown) => Promise<unknown>>) => void
  }
  for (const name of Object.keys(platformatic.entities)) {
    platformatic.addEntityHooks(name, { save: translating, insert: translating, delete: translating, updateMany: translating })
  }

  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const error = translateDatabaseError(raw) as FastifyError
    const status = error.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err: raw }, 'request failed')
      return reply.code(status).send({ message: 'internal error' })
    }
    return reply.code(status).send({ message: error.message })
  })
}
