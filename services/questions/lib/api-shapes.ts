// The one place where database records become API shapes: snake_case fields,
// ids as strings, timestamps as ISO 8601. Student shapes are built from an
// explicit list of fields, so the reference answer and the schema's initial
// SQL cannot slip into them. Records are the generated entity types.
import type { Question, Schema } from '../../../types/index.d.ts'
import type { difficulties } from './api-schemas.ts'

export type QuestionRecord = Partial<Question>
export type SchemaRecord = Partial<Schema>

// Fields read from the database for each shape; never more than needed.
export const studentQuestionFields = ['id', 'schemaId', 'type', 'difficulty', 'title', 'description', 'createdAt', 'updatedAt'] as const satisfies readonly (keyof Question)[]
export const teacherQuestionFields = [...studentQuestionFields, 'answer', 'solutionVideo'] as const satisfies readonly (keyof Question)[]
export const solutionFields = ['id', 'solutionVideo'] as const satisfies readonly (keyof Question)[]
export const studentSchemaFields = ['id', 'picture', 'description', 'createdAt', 'updatedAt'] as const satisfies readonly (keyof Schema)[]
export const teacherSchemaFields = [...studentSchemaFields, 'initialSql'] as const satisfies readonly (keyof Schema)[]

function timestamp (value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return new Date(0).toISOString()
  return new Date(value).toISOString()
}

export function studentQuestion (record: QuestionRecord) {
  return {
    id: String(record.id),
    schema_id: String(record.schemaId),
    type: record.type ?? '',
    // The database allows only these (a CHECK constraint).
    difficulty: (record.difficulty ?? '') as typeof difficulties[number] | '',
    title: record.title ?? '',
    description: record.description ?? '',
    created_at: timestamp(record.createdAt),
    updated_at: timestamp(record.updatedAt)
  }
}

export function teacherQuestion (record: QuestionRecord) {
  return {
    ...studentQuestion(record),
    answer: record.answer ?? '',
    solution_video: record.solutionVideo ?? null
  }
}

export function questionSolution (record: QuestionRecord) {
  return { id: String(record.id), solution_video: record.solutionVideo ?? null }
}

export function studentSchema (record: SchemaRecord) {
  return {
    id: String(record.id),
    picture: record.picture ?? null,
    description: record.description ?? '',
    created_at: timestamp(record.createdAt),
    updated_at: timestamp(record.updatedAt)
  }
}

export function teacherSchema (record: SchemaRecord) {
  return { ...studentSchema(record), initial_sql: record.initialSql ?? '' }
}

// API input (snake_case) to record fields (camelCase), only what was given.
export function questionInput (body: { schema_id?: string, type?: string, difficulty?: string, title?: string, description?: string, answer?: string, solution_video?: string | null }): QuestionRecord {
  const input: QuestionRecord = {}
  if (body.schema_id !== undefined) input.schemaId = body.schema_id
  if (body.type !== undefined) input.type = body.type
  if (body.difficulty !== undefined) input.difficulty = body.difficulty
  if (body.title !== undefined) input.title = body.title
  if (body.description !== undefined) input.description = body.description
  if (body.answer !== undefined) input.answer = body.answer
  if (body.solution_video !== undefined) input.solutionVideo = body.solution_video
  return input
}

export function schemaInput (body: { id?: string, picture?: string | null, description?: string, initial_sql?: string }): SchemaRecord {
  const input: SchemaRecord = {}
  if (body.id !== undefined) input.id = body.id
  if (body.picture !== undefined) input.picture = body.picture
  if (body.description !== undefined) input.description = body.description
  if (body.initial_sql !== undefined) input.initialSql = body.initial_sql
  return input
}
