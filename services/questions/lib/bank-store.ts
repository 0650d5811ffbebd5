// What a question bank reads from and writes to the catalogue tables, over
// any database handle with the `sql` tag (Platformatic DB's in the service,
// pg-database.ts's in scripts and seeds). Ids are kept: questions are
// inserted with the bank's id, and the identity sequence is then moved past
// the largest id so later inserts do not collide.
import type { Bank, BankQuestion, BankSchemaEntry } from './bank-schema.ts'
import type { GradingSettings } from './challenge-store.ts'
import type { EquivalentMutant } from '../../dbrunner/lib/quality.ts'
import type { Queryable, Sql } from './database.ts'

/** A stored hidden dataset: its row id and SQL, in the order the question lists them. */
export interface StoredDataset {
  id: string
  sql: string
}

export type StoredQuestion = Omit<BankQuestion, 'datasets'> & { datasets: StoredDataset[] }

export interface CatalogueState {
  schemas: Map<string, BankSchemaEntry>
  questions: Map<string, StoredQuestion>
}

function schemaOf (row: Record<string, unknown>): BankSchemaEntry {
  return {
    id: String(row.id),
    description: String(row.description),
    picture: row.picture === null ? null : String(row.picture),
    initial_sql: String(row.initial_sql)
  }
}

function questionOf (row: Record<string, unknown>, datasets: StoredDataset[]): StoredQuestion {
  return {
    id: String(row.id),
    schema_id: String(row.schema_id),
    type: String(row.type),
    // The database's CHECKs allow only these values.
    difficulty: row.difficulty as BankQuestion['difficulty'],
    title: String(row.title),
    description: String(row.description),
    answer: String(row.answer),
    solution_video: row.solution_video === null ? null : String(row.solution_video),
    grading: {
      row_order: row.row_order as GradingSettings['row_order'],
      column_names: row.column_names as GradingSettings['column_names'],
      numeric_tolerance: row.numeric_tolerance === null ? null : Number(row.numeric_tolerance)
    },
    equivalent_mutants: Array.isArray(row.equivalent_mutants) ? row.equivalent_mutants as EquivalentMutant[] : [],
    datasets
  }
}

const questionColumns = (sql: Sql) => sql`q.id, q.schema_id, q.type, q.difficulty, q.title, q.description, q.answer, q.solution_video, q.row_order, q.column_names, q.numeric_tolerance, q.equivalent_mutants`

async function withDatasets (db: Queryable, sql: Sql, rows: Record<string, unknown>[]): Promise<StoredQuestion[]> {
  const ids = rows.map(row => String(row.id))
  const datasets = new Map<string, StoredDataset[]>(ids.map(id => [id, []]))
  if (ids.length > 0) {
    const found = await db.query(sql`SELECT id, question_id, initial_sql FROM hidden_datasets WHERE question_id = ANY(${ids}::bigint[]) ORDER BY question_id, id`)
    for (const row of found) datasets.get(String(row.question_id))?.push({ id: String(row.id), sql: String(row.initial_sql) })
  }
  return rows.map(row => questionOf(row, datasets.get(String(row.id)) ?? []))
}

/** The stored schemas and questions with these ids (what a bank would change). */
export async function readState (db: Queryable, sql: Sql, bank: Pick<Bank, 'schemas' | 'questions'>): Promise<CatalogueState> {
  const schemaIds = [...new Set([...bank.schemas.map(schema => schema.id), ...bank.questions.map(question => question.schema_id)])]
  const schemaRows = await db.query(sql`SELECT id, description, picture, initial_sql FROM schemas WHERE id = ANY(${schemaIds}::text[])`)
  const questionRows = await db.query(sql`SELECT ${questionColumns(sql)} FROM questions q WHERE q.id = ANY(${bank.questions.map(question => question.id)}::bigint[])`)
  return {
    schemas: new Map(schemaRows.map(row => [String(row.id), schemaOf(row)])),
    questions: new Map((await withDatasets(db, sql, questionRows)).map(question => [question.id, question]))
  }
}

/** Stored questions on these schemas, but for the ones listed (those a new schema SQL must still serve). */
export async function questionsOnSchemas (db: Queryable, sql: Sql, schemaIds: string[], except: string[]): Promise<StoredQuestion[]> {
  const rows = await db.query(sql`
    SELECT ${questionColumns(sql)} FROM questions q
    WHERE q.schema_id = ANY(${schemaIds}::text[]) AND NOT (q.id = ANY(${except}::bigint[])) ORDER BY q.id`)
  return withDatasets(db, sql, rows)
}

/** The whole catalogue, schemas and questions in id order. */
export async function readCatalogue (db: Queryable, sql: Sql): Promise<Bank> {
  const schemas = (await db.query(sql`SELECT id, description, picture, initial_sql FROM schemas ORDER BY id`)).map(schemaOf)
  const questions = await withDatasets(db, sql, await db.query(sql`SELECT ${questionColumns(sql)} FROM questions q ORDER BY q.id`))
  return {
    version: 1,
    schemas,
    questions: questions.map(question => ({ ...question, datasets: question.datasets.map(dataset => dataset.sql) }))
  }
}

// Stored as NULL when there is none, as a question saved through the API without any.
const judged = (q: BankQuestion) => q.equivalent_mutants.length === 0 ? null : JSON.stringify(q.equivalent_mutants)

export function createBankWriter (db: Queryable, sql: Sql) {
  return {
    async insertSchema (schema: BankSchemaEntry) {
      await db.query(sql`INSERT INTO schemas (id, description, picture, initial_sql) VALUES (${schema.id}, ${schema.description}, ${schema.picture}, ${schema.initial_sql})`)
    },
    async updateSchema (schema: BankSchemaEntry) {
      await db.query(sql`UPDATE schemas SET description = ${schema.description}, picture = ${schema.picture}, initial_sql = ${schema.initial_sql} WHERE id = ${schema.id}`)
    },
    async insertQuestion (q: BankQuestion) {
      await db.query(sql`
        INSERT INTO questions (id, schema_id, type, difficulty, title, description, answer, solution_video, row_order, column_names, numeric_tolerance, equivalent_mutants)
        VALUES (${q.id}, ${q.schema_id}, ${q.type}, ${q.difficulty}, ${q.title}, ${q.description}, ${q.answer}, ${q.solution_video},
          ${q.grading.row_order}, ${q.grading.column_names}, ${q.grading.numeric_tolerance}, ${judged(q)}::jsonb)`)
    },
    async updateQuestion (q: BankQuestion) {
      await db.query(sql`
        UPDATE questions SET schema_id = ${q.schema_id}, type = ${q.type}, difficulty = ${q.difficulty}, title = ${q.title}, description = ${q.description},
          answer = ${q.answer}, solution_video = ${q.solution_video}, row_order = ${q.grading.row_order}, column_names = ${q.grading.column_names},
          numeric_tolerance = ${q.grading.numeric_tolerance}, equivalent_mutants = ${judged(q)}::jsonb
        WHERE id = ${q.id}`)
    },
    async insertDataset (questionId: string, initialSql: string) {
      await db.query(sql`INSERT INTO hidden_datasets (question_id, initial_sql) VALUES (${questionId}, ${initialSql})`)
    },
    async updateDataset (datasetId: string, initialSql: string) {
      await db.query(sql`UPDATE hidden_datasets SET initial_sql = ${initialSql} WHERE id = ${datasetId}`)
    },
    async deleteDataset (datasetId: string) {
      await db.query(sql`DELETE FROM hidden_datasets WHERE id = ${datasetId}`)
    },
    /** Moves the question ids' sequence past the largest id (never back). */
    async advanceQuestionIds () {
      await db.query(sql`
        SELECT setval(pg_get_serial_sequence('questions', 'id'), GREATEST(
          (SELECT max(id) FROM questions),
          (SELECT pg_sequence_last_value(pg_get_serial_sequence('questions', 'id')::regclass)),
          1))`)
    }
  }
}

export type BankWriter = ReturnType<typeof createBankWriter>
