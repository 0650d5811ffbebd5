// JSON Schemas of the questions service's API: the validator, the response
// serializer and the OpenAPI document at once.

import { errorSchema } from '../../../lib/error-schema.ts'
import { equivalentMutantsSchema, gradingSettingsSchema, qualityReportSchema } from '../../dbrunner/lib/api-schemas.ts'

export { qualityReportSchema }

export { errorSchema }

// Ids of questions, submissions and datasets: bigint identities, as strings.
export const numericId = { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } as const

export const idParams = {
  type: 'object',
  properties: { id: { ...numericId, description: 'A question id (a positive integer)' } },
  required: ['id']
} as const

export const schemaIdParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'A schema id, e.g. `shop`' } },
  required: ['id']
} as const

export const MAX_PAGE = 100

export const paging = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 0, default: 10, description: `How many items to return (0: the default; at most ${MAX_PAGE})` },
    offset: { type: 'integer', minimum: 0, default: 0, description: 'How many items to skip' }
  },
  additionalProperties: false
} as const

/** The page a client asked for: 0 means the default size, and no page is larger than MAX_PAGE. */
export function pageOf (query: { limit?: number, offset?: number }, defaultLimit = 10): { limit: number, offset: number } {
  const limit = query.limit === undefined || query.limit === 0 ? defaultLimit : query.limit
  return { limit: Math.min(limit, MAX_PAGE), offset: query.offset ?? 0 }
}

const timestamps = {
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' }
} as const

export const difficulties = ['easy', 'medium', 'hard'] as const

export const questionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', examples: ['1'] },
    schema_id: { type: 'string', examples: ['shop'] },
    type: { type: 'string', examples: ['joins'] },
    difficulty: { type: 'string', enum: ['', ...difficulties], examples: ['medium'] },
    title: { type: 'string' },
    description: { type: 'string' },
    ...timestamps
  },
  required: ['id', 'schema_id', 'type', 'difficulty', 'title', 'description', 'created_at', 'updated_at']
} as const

// The settings as stored: every field present.
const gradingSchema = {
  ...gradingSettingsSchema,
  required: ['row_order', 'column_names', 'numeric_tolerance']
} as const

/** One question, as a student sees it: with the rules its answers are graded by. */
export const questionDetailSchema = {
  type: 'object',
  properties: { ...questionSchema.properties, grading: gradingSchema },
  required: [...questionSchema.required, 'grading']
} as const

export const fullQuestionSchema = {
  type: 'object',
  properties: {
    ...questionDetailSchema.properties,
    answer: { type: 'string', description: 'The reference answer (teachers only)' },
    solution_video: { type: ['string', 'null'] },
    equivalent_mutants: equivalentMutantsSchema
  },
  required: [...questionDetailSchema.required, 'answer', 'solution_video', 'equivalent_mutants']
} as const

export const solutionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    solution_video: { type: ['string', 'null'], examples: ['https://videos.example.org/sql/1'] }
  },
  required: ['id', 'solution_video']
} as const

export const schemaSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', examples: ['shop'] },
    picture: { type: ['string', 'null'] },
    description: { type: 'string' },
    ...timestamps
  },
  required: ['id', 'description', 'created_at', 'updated_at']
} as const

export const fullSchemaSchema = {
  type: 'object',
  properties: {
    ...schemaSchema.properties,
    initial_sql: { type: 'string', description: 'The SQL that creates and fills the tables (teachers only)' }
  },
  required: [...schemaSchema.required, 'initial_sql']
} as const

/** A question as a save answers it: with its quality report. */
export const savedQuestionSchema = {
  type: 'object',
  properties: { ...fullQuestionSchema.properties, quality: qualityReportSchema },
  required: [...fullQuestionSchema.required, 'quality']
} as const

const url = { type: 'string', maxLength: 2000, pattern: '^https?://\\S+$' } as const

export const questionFields = {
  schema_id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
  type: { type: 'string', minLength: 1, maxLength: 100 },
  difficulty: { type: 'string', enum: difficulties },
  title: { type: 'string', minLength: 1, maxLength: 300 },
  description: { type: 'string', maxLength: 20000 },
  answer: { type: 'string', minLength: 1, maxLength: 65536 },
  solution_video: { anyOf: [url, { type: 'null' }] },
  equivalent_mutants: equivalentMutantsSchema
} as const

// In a change, only the settings given change: no defaults filled in.
const gradingChange = {
  type: 'object',
  description: gradingSettingsSchema.description,
  properties: {
    row_order: { ...gradingSettingsSchema.properties.row_order, default: undefined },
    column_names: { ...gradingSettingsSchema.properties.column_names, default: undefined },
    numeric_tolerance: { ...gradingSettingsSchema.properties.numeric_tolerance, default: undefined }
  },
  additionalProperties: false
} as const

export const newQuestionBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ...questionFields, grading: gradingChange },
  required: ['schema_id', 'type', 'difficulty', 'title', 'description', 'answer']
} as const

export const questionPatchBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ...questionFields, grading: gradingChange },
  minProperties: 1
} as const

export const schemaFields = {
  description: { type: 'string', maxLength: 20000 },
  initial_sql: { type: 'string', minLength: 1, maxLength: 1048576 },
  picture: { anyOf: [url, { type: 'null' }] }
} as const

export const newSchemaBody = {
  type: 'object',
  additionalProperties: false,
  properties: { id: schemaIdParams.properties.id, ...schemaFields },
  required: ['id', 'description', 'initial_sql']
} as const

export const schemaPatchBody = {
  type: 'object',
  additionalProperties: false,
  properties: schemaFields,
  minProperties: 1
} as const

export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
  500: errorSchema,
  503: errorSchema
} as const
