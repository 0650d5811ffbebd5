// The one place where database records become API shapes: snake_case fields,
// ids as strings, timestamps as ISO 8601. Student shapes are built from an
// explicit list of fields, so the reference answer and the schema's initial
// SQL cannot slip into them. Records are the generated entity types.
import type { Question, Schema } from '../../../types/index.d.ts'
import type { difficulties } from './api-schemas.ts'
import type { EquivalentMutant } from '../../dbrunner/lib/quality.ts'

export type QuestionRecord = Partial<Question>
export type SchemaRecord = Partial<Schema>

// Fields read from the database for each shape; never more than needed.
export const studentQuestionFields = ['id', 'schemaId', 'type', 'difficulty', 'title', 'description', 'createdAt', 'updatedAt'] as const satisfies readonly (keyof Question)[]
export const gradingFields = ['rowOrder', 'columnNames', 'numericTolerance'] as const satisfies readonly (keyof Question)[]
export const questionDetailFields = [...studentQuestionFields, ...gradingFields] as const
export const teacherQuestionFields = [...questionDetailFields, 'answer', 'solutionVideo', 'equivalentMutants'] as const satisfies readonly (keyof Question)[]
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

/** A question's grading settings (the database's CHECKs allow only these values). */
export function gradingOf (record: QuestionRecord) {
  return {
    row_order: (record.rowOrder ?? 'auto') as 'auto' | 'any' | 'strict',
    column_names: (record.columnNames ?? 'ignore') as 'ignore' | 'match',
    numeric_tolerance: record.numericTolerance ?? null
  }
}

export function questionDetail (record: QuestionRecord) {
  return { ...studentQuestion(record), grading: gradingOf(record) }
}

/** The mutants a teacher judged equivalent to the answer (a JSON array in the database). */
export function equivalentMutantsOf (record: QuestionRecord): EquivalentMutant[] {
  const value: unknown = typeof record.equivalentMutants === 'string' ? JSON.parse(record.equivalentMutants) : record.equivalentMutants
  return Array.isArray(value) ? value as EquivalentMutant[] : []
}

export function teacherQuestion (record: QuestionRecord) {
  return {
    ...questionDetail(record),
    answer: record.answer ?? '',
    solution_video: record.solutionVideo ?? null,
    equivalent_mutants: equivalentMutantsOf(record)
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
export function questionInput (body: {
  schema_id?: string, type?: string, difficulty?: string, title?: string, description?: string, answer?: string, solution_video?: string | null,
  grading?: { row_order?: string, column_names?: string, numeric_tolerance?: number | null }, equivalent_mutants?: EquivalentMutant[]
}): QuestionRecord {
  const input: QuestionRecord = {}
  if (body.schema_id !== undefined) input.schemaId = body.schema_id
  if (body.type !== undefined) input.type = body.type
  if (body.difficulty !== undefined) input.difficulty = body.difficulty
  if (body.title !== undefined) input.title = body.title
  if (body.description !== undefined) input.description = body.description
  if (body.answer !== undefined) input.answer = body.answer
  if (body.solution_video !== undefined) input.solutionVideo = body.solution_video
  if (body.grading?.row_order !== undefined) input.rowOrder = body.grading.row_order
  if (body.grading?.column_names !== undefined) input.columnNames = body.grading.column_names
  if (body.grading?.numeric_tolerance !== undefined) input.numericTolerance = body.grading.numeric_tolerance
  // As JSON text: node-postgres would send a JavaScript array as a PostgreSQL array, not jsonb.
  if (body.equivalent_mutants !== undefined) input.equivalentMutants = JSON.stringify(body.equivalent_mutants) as never
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
