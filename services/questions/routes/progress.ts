import type { FastifyInstance } from 'fastify'
import { requireUser } from '../lib/current-user.ts'
import { errorResponses, idParams, numericId, paging } from '../lib/api-schemas.ts'
import { pointRules } from '../lib/point-rules.ts'
import { ensureUser, listSubmissions, profile, questionStatistics, recordSubmission, type Database, type Sql } from '../lib/progress.ts'

const submissionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    question_id: { type: 'string' },
    query: { type: 'string' },
    same: { type: 'boolean' },
    reason: { type: 'string', nullable: true },
    created_at: { type: 'string', format: 'date-time' }
  },
  required: ['id', 'question_id', 'query', 'same', 'reason', 'created_at']
} as const

export default async function progressRoutes (app: FastifyInstance) {
  const db = app.platformatic.db as unknown as Database
  const sql = app.platformatic.sql as unknown as Sql
  const rules = pointRules()

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
    const { limit, offset, question_id: questionId } = request.query as { limit: number, offset: number, question_id?: string }
    return listSubmissions(db, sql, requireUser(request), { questionId, limit: Math.min(limit, 100), offset })
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
  }, async request => questionStatistics(db, sql, (request.params as { id: string }).id))

  // Internal: the gateway makes sure a user row exists on first use, and the
  // runner records graded attempts. Hidden from the OpenAPI document.
  app.post('/internal/users', { schema: { hide: true } as object }, async (request, reply) => {
    await ensureUser(db, sql, requireUser(request), rules)
    return reply.code(204).send()
  })

  app.post('/internal/submissions', {
    schema: {
      hide: true,
      body: {
        type: 'object',
        properties: {
          question_id: numericId,
          query: { type: 'string' },
          same: { type: 'boolean' },
          reason: { type: 'string', nullable: true }
        },
        required: ['question_id', 'query', 'same']
      }
    } as object
  }, async (request, reply) => {
    const body = request.body as { question_id: string, query: string, same: boolean, reason?: string | null }
    const saved = await recordSubmission(db, sql, {
      userId: requireUser(request), questionId: body.question_id, query: body.query, same: body.same, reason: body.reason ?? null
    }, rules)
    return reply.code(201).send(saved)
  })
}
