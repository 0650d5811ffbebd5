// Loads the starter catalogue from seeds/. Safe to run any number of times:
// rows that are already there (schema by id, question by schema and title,
// hidden dataset by question and SQL text) are left as they are, and only
// what is missing is added, so a database seeded before the hidden datasets
// existed gets them on its next seed run.
import type { ClientBase } from 'pg'
import { readFile } from 'node:fs/promises'
import { datasetsOf, seedQuestions, seedSchemas } from '../seeds/catalogue.ts'

export interface SeedResult {
  schemas: number
  questions: number
  /** hidden datasets attached to questions */
  datasets: number
}

const SEED_LOCK = 7_351_001

export function readSeedSchemaSql (id: string): Promise<string> {
  return readFile(new URL(`../seeds/schemas/${id}.sql`, import.meta.url), 'utf8')
}

export function readSeedDatasetSql (name: string): Promise<string> {
  return readFile(new URL(`../seeds/datasets/${name}.sql`, import.meta.url), 'utf8')
}

export async function loadSeeds (client: ClientBase): Promise<SeedResult> {
  const sqlById = new Map<string, string>()
  for (const schema of seedSchemas) sqlById.set(schema.id, await readSeedSchemaSql(schema.id))
  const datasetSql = new Map<string, string>()
  for (const name of new Set(seedQuestions.flatMap(datasetsOf))) datasetSql.set(name, await readSeedDatasetSql(name))

  const result: SeedResult = { schemas: 0, questions: 0, datasets: 0 }
  await client.query('BEGIN')
  try {
    // Two starts at once must not both insert the same questions.
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK])
    for (const schema of seedSchemas) {
      const inserted = await client.query(
        `INSERT INTO schemas (id, picture, description, initial_sql) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING`,
        [schema.id, schema.picture, schema.description, sqlById.get(schema.id)]
      )
      result.schemas += inserted.rowCount ?? 0
    }
    for (const q of seedQuestions) {
      const inserted = await client.query(
        `INSERT INTO questions (schema_id, type, difficulty, title, description, answer, solution_video)
         SELECT $1, $2, $3, $4, $5, $6, $7
         WHERE NOT EXISTS (SELECT 1 FROM questions WHERE schema_id = $1 AND title = $4)`,
        [q.schema_id, q.type, q.difficulty, q.title, q.description, q.answer, q.solution_video]
      )
      result.questions += inserted.rowCount ?? 0
      for (const name of datasetsOf(q)) {
        // Only onto the question as seeded (its answer and its schema's SQL
        // unchanged): a teacher's edit may no longer fit the dataset.
        const attached = await client.query(
          `INSERT INTO hidden_datasets (question_id, initial_sql)
           SELECT q.id, $5 FROM questions q JOIN schemas s ON s.id = q.schema_id
           WHERE q.schema_id = $1 AND q.title = $2 AND q.answer = $3 AND s.initial_sql = $4
             AND NOT EXISTS (SELECT 1 FROM hidden_datasets h WHERE h.question_id = q.id AND h.initial_sql = $5)`,
          [q.schema_id, q.title, q.answer, sqlById.get(q.schema_id), datasetSql.get(name)]
        )
        result.datasets += attached.rowCount ?? 0
      }
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  }
  return result
}

export async function isCatalogueEmpty (client: ClientBase): Promise<boolean> {
  const { rows } = await client.query('SELECT (SELECT count(*) FROM schemas) + (SELECT count(*) FROM questions) AS n')
  return Number(rows[0].n) === 0
}
