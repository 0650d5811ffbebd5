// The one place where database records become API shapes: snake_case fields,
// ids as strings, timestamps as ISO 8601. Student shapes are built from an
// explicit list of fields, so the reference answer and the schema's initial
// SQL cannot slip into them.

export interface QuestionRecord {
  id?: string | number
  schemaId?: string
  type?: string
  difficulty?: string
  title?: string
  description?: string
  answer?: string
  solutionVideo?: string | null
  createdAt?: string | Date | null
  updatedAt?: string | Date | null
}

export interface SchemaRecord {
  id?: string
  picture?: string | null
  description?: string
  initialSql?: string
  createdAt?: string | Date | null
  updatedAt?: string | Date | null
}

// Fields read from the database for each shape; never more than needed.
export const studentQuestionFields = ['id', 'schemaId', 'type', 'difficulty', 'title', 'description', 'createdAt', 'updatedAt']
export const teacherQuestionFields = [...studentQuestionFields, 'answer', 'solutionVideo']
export const solutionFields = ['id', 'solutionVideo']
export const studentSchemaFields = ['id', 'picture', 'description', 'createdAt', 'updatedAt']
export const teacherSchemaFields = [...studentSchemaFields, 'initialSql']

function timestamp (value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return new Date(0).toISOString()
  return new Date(value).toISOString()
}

export function studentQuestion (record: QuestionRecord) {
  return {
    id: String(record.id),
    schema_id: String(record.schemaId),
    type: record.type ?? '',
    difficulty: record.difficulty ?? '',
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
export function questionInput (body: Record<string, unknown>): QuestionRecord {
  const input: Record<string, unknown> = {}
  const names: Record<string, keyof QuestionRecord> = {
    schema_id: 'schemaId', type: 'type', difficulty: 'difficulty', title: 'title', description: 'description', answer: 'answer', solution_video: 'solutionVideo'
  }
  for (const [field, key] of Object.entries(names)) if (field in body) input[key] = body[field]
  return input as QuestionRecord
}

export function schemaInput (body: Record<string, unknown>): SchemaRecord {
  const input: Record<string, unknown> = {}
  const names: Record<string, keyof SchemaRecord> = { id: 'id', picture: 'picture', description: 'description', initial_sql: 'initialSql' }
  for (const [field, key] of Object.entries(names)) if (field in body) input[key] = body[field]
  return input as SchemaRecord
}
