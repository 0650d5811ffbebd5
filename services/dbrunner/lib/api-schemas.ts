// JSON Schemas of the runner's API: validator, serializer and OpenAPI at once.
import { errorSchema } from '../../../lib/error-schema.ts'

export { errorSchema }

export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  422: errorSchema,
  500: errorSchema,
  503: errorSchema
} as const

export const challengeIdParams = {
  type: 'object',
  properties: { id: { type: 'string', description: 'A challenge id, as returned by POST /challenges' } },
  required: ['id']
} as const

export const newChallengeBody = {
  type: 'object',
  properties: {
    questionID: { type: 'string', pattern: '^[1-9][0-9]{0,17}$', description: 'The id of the question' },
    query: { type: 'string', description: 'The SQL to run (SQLite); several statements may be given' }
  },
  required: ['questionID', 'query']
} as const

const cell = { type: 'string', nullable: true } as const

export const queryResultSchema = {
  type: 'object',
  properties: {
    header: { type: 'array', items: { type: 'string' } },
    rows: { type: 'array', items: { type: 'array', items: cell } }
  },
  required: ['header', 'rows']
} as const

export const verdictSchema = {
  type: 'object',
  properties: {
    same: { type: 'boolean' },
    reason: { type: 'string', enum: ['columns differ', 'row count differs', 'order differs', 'values differ', 'fails on a hidden dataset'] },
    expected_row: { type: 'array', items: cell, nullable: true, description: 'The first row of the reference result that differs' },
    actual_row: { type: 'array', items: cell, nullable: true, description: 'The first row of your result that differs' }
  },
  required: ['same']
} as const

export const structureSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tables: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          columns: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                type: { type: 'string', description: 'The declared type, as written in the schema' },
                primary_key: { type: 'boolean' },
                not_null: { type: 'boolean' }
              },
              required: ['name', 'type', 'primary_key', 'not_null']
            }
          }
        },
        required: ['name', 'columns']
      }
    }
  },
  required: ['id', 'tables']
} as const
