import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, pageOf, paging } from '../lib/api-schemas.ts'
import { leaderboard, periods, rankings } from '../lib/leaderboard.ts'
import { settings } from '../../../lib/config.ts'

const leaderboardRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  const { db, sql } = app.database
  // Not refused: a leaderboard with linkable pseudonyms is a privacy risk to
  // fix, not a reason to stop serving a course.
  if (app.settings.NODE_ENV === 'production' && app.settings.LEADERBOARD_PSEUDONYM_KEY === settings.LEADERBOARD_PSEUDONYM_KEY.default) {
    app.log.warn('LEADERBOARD_PSEUDONYM_KEY is the published default: leaderboard pseudonyms can be linked to user ids. Set a long random key of your own.')
  }

  app.get('/leaderboard', {
    schema: {
      summary: 'The learners who earned the most points, or solved the most questions, in a period',
      description: 'Periods are UTC calendar periods that hold now: `day` (since 00:00 UTC today), `week` (since Monday 00:00 UTC), `all` (all time). ' +
        '`points` are the points **earned** by solving questions in the period: the starting points and the cost of opened solutions do not count, ' +
        'so `all` ranks by points earned, not by balance (GET /me has the balance). `solved`: how many questions the user first solved in the period. ' +
        'Only users who solved something in the period are listed. Ranked by `by`, ties going to whoever reached the total first (then by a fixed order), ' +
        'so ranks are 1, 2, 3, ... without gaps and pages never overlap. `user` is the name the user\'s sign-in carries, else a pseudonym that stays the same ' +
        '(like `Learner 4f2a9c1e`); never an e-mail address or an account id.',
      tags: ['Progress'],
      querystring: {
        type: 'object',
        properties: {
          period: { type: 'string', enum: periods, default: 'week', description: 'day, week or all (default week)' },
          by: { type: 'string', enum: rankings, default: 'points', description: 'points or solved (default points)' },
          ...paging.properties
        },
        additionalProperties: false
      },
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              rank: { type: 'integer', minimum: 1 },
              user: { type: 'string', examples: ['Ada L.', 'Learner 4f2a9c1e'] },
              points: { type: 'integer', description: 'points earned in the period' },
              solved: { type: 'integer', description: 'questions first solved in the period' }
            },
            required: ['rank', 'user', 'points', 'solved'],
            additionalProperties: false
          }
        },
        ...errorResponses
      }
    }
  }, async request => leaderboard(db, sql, {
    period: request.query.period,
    by: request.query.by,
    ...pageOf(request.query),
    pseudonymKey: app.settings.LEADERBOARD_PSEUDONYM_KEY
  }))
}

export default leaderboardRoutes
