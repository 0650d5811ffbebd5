import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { requireUser } from '../lib/current-user.ts'
import { errorResponses, idParams, numericId, pageOf, paging } from '../lib/api-schemas.ts'
import { listSubmissions, profile, questionStatistics } from '../lib/progress.ts'

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
  }, async request => profile(db, sql, requireUser(request), rules))

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
}

export default progressRoutes
