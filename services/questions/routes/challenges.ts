import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { queryResultSchema, verdictSchema } from '../../dbrunner/lib/api-schemas.ts'
import { errorSchema } from '../lib/api-schemas.ts'
import { compareChallenge, createChallenge, readChallenge } from '../lib/challenges.ts'
import { requireUser } from '../lib/current-user.ts'
import { displayNameOf, userIdOf } from '../../../lib/identity-headers.ts'

const errorResponses = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 422: errorSchema, 429: errorSchema, 500: errorSchema, 503: errorSchema } as const

const challengeIdParams = {
  type: 'object',
  properties: { id: { type: 'string', description: 'A challenge id, as returned by POST /challenges' } },
  required: ['id']
} as const

const newChallengeBody = {
  type: 'object',
  properties: {
    questionID: { type: 'string', pattern: '^[1-9][0-9]{0,17}$', description: 'The id of the question' },
    query: { type: 'string', description: 'The SQL to run (SQLite); several statements may be given' }
  },
  required: ['questionID', 'query']
} as const

// A student's runs of a question (route); what they mean is in
// lib/challenges.ts (domain), who ran what in lib/challenge-store.ts
// (storage); the runner computes.
const challengeRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.post('/challenges', {
    schema: {
      summary: 'Run a query for a question',
      description: 'Runs the query in a fresh sandboxed database built from the question\'s schema and returns a challenge id. ' +
        'Results are cached for an hour: creating the same challenge again costs no execution.',
      tags: ['Challenges'],
      body: newChallengeBody,
      response: { 200: { type: 'object', properties: { challengeID: { type: 'string' } }, required: ['challengeID'] }, ...errorResponses }
    }
  }, async request => ({
    challengeID: await createChallenge(app.challenges, {
      questionId: request.body.questionID, query: request.body.query, userId: requireUser(request), displayName: displayNameOf(request.headers)
    })
  }))

  app.get('/challenges/:id', {
    schema: {
      summary: 'Get the result of a challenge',
      tags: ['Challenges'],
      params: challengeIdParams,
      response: { 200: queryResultSchema, ...errorResponses }
    }
  }, async request => readChallenge(app.challenges, request.params.id, userIdOf(request.headers)))

  app.get('/challenges/:id/compare', {
    schema: {
      summary: 'Compare a challenge with the reference answer',
      description: 'Columns compare by position and count, not by name. Row order matters only when the reference answer ends with ORDER BY; ' +
        'otherwise rows compare as multisets. When results differ, `reason` says how and the first differing rows are shown. ' +
        'A query that matches must also match on the question\'s hidden datasets (reason `fails on a hidden dataset`, nothing of them shown). ' +
        'Every compare is recorded as a submission; the first correct one earns points.',
      tags: ['Challenges'],
      params: challengeIdParams,
      response: { 200: verdictSchema, ...errorResponses }
    }
  }, async request => compareChallenge(app.challenges, request.params.id, requireUser(request)))
}

export default challengeRoutes
