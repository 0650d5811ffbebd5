import type { FastifyInstance } from 'fastify'
import { translateDatabaseError } from '../lib/database-errors.ts'
import { installErrorHandler } from '../../../lib/error-handler.ts'

type Operation = (options: unknown) => Promise<unknown>

function translating (original: Operation, options: unknown) {
  return original(options).catch(error => { throw translateDatabaseError(error) })
}

export default async function errorHandler (app: FastifyInstance) {
  // The generated CRUD routes were registered before this plugin, so their
  // database errors are translated through the mapper's hooks.
  const platformatic = app.platformatic as unknown as {
    entities: Record<string, unknown>
    addEntityHooks: (name: string, hooks: Record<string, (original: Operation, options: unknown) => Promise<unknown>>) => void
  }
  for (const name of Object.keys(platformatic.entities)) {
    platformatic.addEntityHooks(name, { find: translating, count: translating, save: translating, insert: translating, delete: translating, updateMany: translating })
  }

  installErrorHandler(app, translateDatabaseError)
}
