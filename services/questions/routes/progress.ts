import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { requireUser } from '../lib/current-user.ts'
import { errorResponses, idParams, numericId, pageOf, paging } from '../lib/api-schemas.ts'
import { mistakeClusters } from '../lib/mistakes.ts'
import { listSubmissions, pointHistory, profile, questionStatistics } from '../lib/progress.ts'
import { displayNameOf } from '../../../lib/identity-headers.ts'

const submissionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    question_id: { type: 'string' },
    query: { type: 'string' },
    same: { type: 'boolean' },
    reason: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' }
  },
  required: ['id', 'question_id', 'query', 'same', 'reason', 'created_at']
} as const

const progressRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  const { db, sql } = app.database
  const rules = app.pointRules

  app.get('/me', {
    schema: {
      summary: 'The signed-in user: points, questions solved and attempted',
      tags: ['Progress'],
      response: {
        200: {
          type: 'object',
          properties: { id: { type: 'string' }, points: { type: 'integer' }, solved: { type: 'integer' }, attempted: { type: 'integer' } },
          required: ['id', 'points', 'solved', 'attempted']
        },
        ...errorResponses
      }
    }
  }, async request => profile(db, sql, requireUser(request), rules, displayNameOf(request.headers)))

  app.get('/me/points', {
    schema: {
      summary: 'The signed-in user\'s points ledger, newest first',
      description: 'Every change of the user\'s points and why: `welcome` (the starting points), `solved` (the first correct answer to a question), ' +
        '`solution` (opening a solution, negative). The balance (GET /me) is their sum. `question_id` is null for the welcome points, and when the question was deleted since.',
      tags: ['Progress'],
      querystring: paging,
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              amount: { type: 'integer' },
              reason: { type: 'string', enum: ['welcome', 'solved', 'solution'] },
              question_id: { type: ['string', 'null'] },
              created_at: { type: 'string', format: 'date-time' }
            },
            required: ['amount', 'reason', 'question_id', 'created_at'],
            additionalProperties: false
          }
        },
        ...errorResponses
      }
    }
  }, async request => {
    const userId = requireUser(request)
    // A new user's first look shows their welcome points.
    await app.challenges.ensureUser(userId, displayNameOf(request.headers))
    return pointHistory(db, sql, userId, pageOf(request.query))
  })

  app.get('/me/submissions', {
    schema: {
      summary: 'The signed-in user\'s submissions, newest first',
      tags: ['Progress'],
      querystring: {
        type: 'object',
        properties: { ...paging.properties, question_id: numericId }
      },
      response: { 200: { type: 'array', items: submissionSchema }, ...errorResponses }
    }
  }, async request => {
    return listSubmissions(db, sql, requireUser(request), { questionId: request.query.question_id, ...pageOf(request.query) })
  })

  app.get('/questions/:id/statistics', {
    schema: {
      summary: 'How a question is doing: submissions and users who attempted and solved it',
      tags: ['Progress'],
      params: idParams,
      response: {
        200: {
          type: 'object',
          properties: {
            question_id: { type: 'string' },
            submissions: { type: 'integer' },
            correct_submissions: { type: 'integer' },
            attempted_users: { type: 'integer' },
            solved_users: { type: 'integer' },
            pass_rate: { type: 'number', description: 'solved_users / attempted_users' }
          },
          required: ['question_id', 'submissions', 'correct_submissions', 'attempted_users', 'solved_users', 'pass_rate']
        },
        ...errorResponses
      }
    }
  }, async request => questionStatistics(db, sql, request.params.id))

  const cell = { type: ['string', 'null'] } as const
  app.get('/questions/:id/mistakes', {
    schema: {
      summary: 'The wrong answers to a question, grouped by what they produced (teachers)',
      description: 'Wrong submissions grouped by their result on the visible database and the reason they were wrong, largest group first: ' +
        'how many, their share of all wrong submissions, the first differing rows and up to 3 example queries.',
      tags: ['Teacher'],
      params: idParams,
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 0, default: 10, description: 'How many clusters (0: the default; at most 100)' } }, additionalProperties: false },
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              count: { type: 'integer' },
              share: { type: 'number', description: 'count / all wrong submissions of the question' },
              reason: { type: ['string', 'null'] },
              expected_row: { type: ['array', 'null'], items: cell },
              actual_row: { type: ['array', 'null'], items: cell },
              examples: { type: 'array', items: { type: 'string' }, maxItems: 3 }
            },
            required: ['count', 'share', 'reason', 'expected_row', 'actual_row', 'examples'],
            additionalProperties: false
          }
        },
        ...errorResponses
      }
    }
  }, async request => mistakeClusters(db, sql, request.params.id, pageOf(request.query).limit))
}

export default progressRoutes
