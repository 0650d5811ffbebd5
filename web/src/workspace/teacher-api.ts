// The teachers' part of the API (write:resource), with its shapes. Loaded
// with the workspace only.
import { id, request, type Cell, type QueryResult, type Question, type Schema, type Structure } from '../api.ts'

export type RowOrder = 'auto' | 'any' | 'strict'
export type ColumnNames = 'ignore' | 'match'

export interface Grading {
  row_order: RowOrder
  column_names: ColumnNames
  numeric_tolerance: number | null
}

export interface FullSchema extends Schema {
  initial_sql: string
  created_at: string
  updated_at: string
}

export interface SchemaInput {
  id?: string
  description?: string
  picture?: string | null
  initial_sql?: string
}

/** A surviving mutant the teacher judged equivalent to the answer, and why. */
export interface EquivalentMutant { query: string, reason: string }

export interface FullQuestion extends Question {
  grading: Grading
  answer: string
  solution_video: string | null
  equivalent_mutants: EquivalentMutant[]
  created_at: string
  updated_at: string
}

export interface QuestionInput {
  schema_id?: string
  type?: string
  difficulty?: string
  title?: string
  description?: string
  answer?: string
  solution_video?: string | null
  grading?: Partial<Grading>
  equivalent_mutants?: EquivalentMutant[]
}

export interface QualityReport {
  deterministic: boolean
  warnings: string[]
  datasets: number
  mutants: { total: number, killed: number, survived: number, equivalent: number, score: number }
  survivors: { operator: string, query: string }[]
  equivalent: { operator: string, query: string, reason: string }[]
}

export interface SavedQuestion extends FullQuestion { quality: QualityReport }

export interface Dataset { id: string, question_id: string, initial_sql: string, created_at: string }

export interface ProposedDataset { initial_sql: string, kills: string[] }

export interface Statistics {
  question_id: string
  submissions: number
  correct_submissions: number
  attempted_users: number
  solved_users: number
  pass_rate: number
}

export interface MistakeCluster {
  count: number
  share: number
  reason: string | null
  expected_row: Cell[] | null
  actual_row: Cell[] | null
  examples: string[]
}

// Lists are paged by the API (at most 100 an answer): read them whole.
async function all<T> (path: (limit: number, offset: number) => string): Promise<T[]> {
  const items: T[] = []
  for (let page = 0; page < 50; page++) {
    const chunk = await request<T[]>('GET', path(100, page * 100))
    items.push(...chunk)
    if (chunk.length < 100) break
  }
  return items
}

export const teacherApi = {
  schemas: () => all<Schema>((limit, offset) => `/schemas?limit=${limit}&offset=${offset}`),
  questions: () => all<Question>((limit, offset) => `/questions?limit=${limit}&offset=${offset}`),
  schema: (schemaId: string) => request<FullSchema>('GET', `/schemas/${id(schemaId)}/full`),
  structure: (schemaId: string) => request<Structure>('GET', `/schemas/${id(schemaId)}/structure`),
  createSchema: (input: SchemaInput) => request<FullSchema>('POST', '/schemas', input),
  changeSchema: (schemaId: string, input: SchemaInput) => request<FullSchema>('PATCH', `/schemas/${id(schemaId)}`, input),
  deleteSchema: (schemaId: string) => request<void>('DELETE', `/schemas/${id(schemaId)}`),
  preview: (schemaId: string, query: string) => request<QueryResult>('POST', `/schemas/${id(schemaId)}/preview`, { query }),

  question: (questionId: string) => request<FullQuestion>('GET', `/questions/${id(questionId)}/full`),
  createQuestion: (input: QuestionInput) => request<SavedQuestion>('POST', '/questions', input),
  changeQuestion: (questionId: string, input: QuestionInput) => request<SavedQuestion>('PATCH', `/questions/${id(questionId)}`, input),
  deleteQuestion: (questionId: string) => request<void>('DELETE', `/questions/${id(questionId)}`),

  datasets: (questionId: string) => request<Dataset[]>('GET', `/questions/${id(questionId)}/datasets`),
  attachDataset: (questionId: string, initialSql: string) =>
    request<{ id: string, quality: QualityReport }>('POST', `/questions/${id(questionId)}/datasets`, { initial_sql: initialSql }),
  removeDataset: (questionId: string, datasetId: string) => request<void>('DELETE', `/questions/${id(questionId)}/datasets/${id(datasetId)}`),
  proposeDatasets: (questionId: string) => request<{ datasets: ProposedDataset[] }>('POST', `/questions/${id(questionId)}/datasets/generate`),

  quality: (questionId: string) => request<QualityReport>('GET', `/questions/${id(questionId)}/quality`),
  statistics: (questionId: string) => request<Statistics>('GET', `/questions/${id(questionId)}/statistics`),
  mistakes: (questionId: string) => request<MistakeCluster[]>('GET', `/questions/${id(questionId)}/mistakes?limit=20`)
}
