import type { FastifyInstance } from 'fastify'
import { userIdOf } from '../../../lib/identity-headers.ts'
import { compareChallenge, createChallenge, readChallenge } from '../lib/challenges.ts'
import { challengeIdParams, errorResponses, newChallengeBody, queryResultSchema, verdictSchema } from '../lib/api-schemas.ts'

export default async function challengeRoutes (app: FastifyInstance) {
  app.post('/challenges', {
    schema: {
      summary: 'Run a query for a question',
      description: 'Runs the query in a fresh sandboxed database built from the question\'s schema and returns a challenge id. ' +
        'Results are cached for an hour: creating the same challenge again costs no execution.',
      tags: ['Challenges'],
      body: newChallengeBody,
      response: { 200: { type: 'object', properties: { challengeID: { type: 'string' } }, required: ['challengeID'] }, ...errorResponses }
    }
  }, async request => {
    const { questionID, query } = request.body as { questionID: string, query: string }
    return { challengeID: await createChallenge(app.runner, questionID, query, userIdOf(request.headers)) }
  })

  app.get('/challenges/:id', {
    schema: {
      summary: 'Get the result of a challenge',
      tags: ['Challenges'],
      params: challengeIdParams,
      response: { 200: queryResultSchema, ...errorResponses }
    }
  }, async request => readChallenge(app.runner, (request.params as { id: string }).id))

  app.get('/challenges/:id/compare', {
    schema: {
      summary: 'Compare a challenge with the reference answer',
      description: 'Columns compare by position and count, not by name. Row order matters only when the reference answer ends with ORDER BY; ' +
        'otherwise rows compare as multisets. When results differ, `reason` says how and the first differing rows are shown. ' +
        'A query that matches must also match on the question\'s hidden datasets (reason `fails on a hidden dataset`, nothing of them shown). ' +
        'Every compare by a signed-in user is recorded as a submission; the first correct one earns points.',
      tags: ['Challenges'],
      params: challengeIdParams,
      response: { 200: verdictSchema, ...errorResponses }
    }
  }, async request => compareChallenge(app.runner, (request.params as { id: string }).id, userIdOf(request.headers)))
}
