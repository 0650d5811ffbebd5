import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createChallengeStore } from '../lib/challenge-store.ts'
import type { ChallengeDeps } from '../lib/challenges.ts'
import { ensureUser, recordSubmission } from '../lib/progress.ts'

declare module 'fastify' {
  interface FastifyInstance {
    challenges: ChallengeDeps
  }
}

const SWEEP_EVERY_MS = 10 * 60_000

// Wires the challenges domain to its storage (this service's PostgreSQL) and
// to the runner, and forgets challenges past their hour now and then.
async function challenges (app: FastifyInstance) {
  const { db, sql } = app.database
  const store = createChallengeStore(app.database)
  // Users seen by this process already have their row, with the name last
  // stored here; a changed name (a new one, or back to an old one) is stored again.
  const knownUsers = new Map<string, string | null>()
  app.decorate('challenges', {
    store,
    comparesPerQuestionHour: app.settings.COMPARES_PER_QUESTION_HOUR,
    runner: app.runner,
    recordSubmission: submission => recordSubmission(db, sql, submission, app.pointRules),
    ensureUser: async (userId, displayName = null) => {
      if (knownUsers.has(userId) && knownUsers.get(userId) === displayName) return
      await ensureUser(db, sql, userId, app.pointRules, displayName)
      if (knownUsers.size > 100_000) knownUsers.clear()
      knownUsers.set(userId, displayName)
    },
    log: app.log
  } satisfies ChallengeDeps)

  const sweeper = setInterval(() => {
    store.sweep().catch(error => app.log.warn({ err: { message: (error as Error).message } }, 'could not sweep expired challenges'))
  }, SWEEP_EVERY_MS)
  sweeper.unref()
  app.addHook('onClose', async () => clearInterval(sweeper))
}

export default fp(challenges, { name: 'challenges', dependencies: ['database', 'runner-client'] })
