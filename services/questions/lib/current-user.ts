import type { FastifyRequest } from 'fastify'
import { userIdOf } from '../../../lib/identity-headers.ts'
import { HttpError } from '../../../lib/http-error.ts'

// The user the gateway verified; routes that need one refuse without it.
export function requireUser (request: FastifyRequest): string {
  const userId = userIdOf(request.headers)
  if (!userId) throw new HttpError(401, 'a signed-in user is required')
  return userId
}

/** The runner's name for a user's share of it. */
export function ownerOf (userId: string): string {
  return `user:${userId}`
}

/** Whose share of the runner a request's runs spend: its user, when there is one. */
export function runOwner (request: FastifyRequest): string | undefined {
  const userId = userIdOf(request.headers)
  return userId === null ? undefined : ownerOf(userId)
}
