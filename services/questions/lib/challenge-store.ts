// Storage of challenges (who ran what) and of what a run of a question
// needs: the schema's SQL, the reference answer and the hidden datasets.
import type { Db } from './database.ts'

/** A challenge lasts this long from its last run. */
export const CHALLENGE_TTL_SECONDS = 3600

export interface GradingSettings {
  row_order: 'auto' | 'any' | 'strict'
  column_names: 'ignore' | 'match'
  numeric_tolerance: number | null
}

export interface QuestionForRun {
  schemaId: string
  schemaSql: string
  answer: string
  settings: GradingSettings
}

export interface ChallengeRow {
  userId: string
  query: string
}

export function createChallengeStore ({ db, sql }: Db) {
  return {
    async questionForRun (questionId: string): Promise<QuestionForRun | null> {
      const [row] = await db.query(sql`
        SELECT q.schema_id, q.answer, q.row_order, q.column_names, q.numeric_tolerance, s.initial_sql
        FROM questions q JOIN schemas s ON s.id = q.schema_id
        WHERE q.id = ${questionId}`)
      if (!row) return null
      return {
        schemaId: String(row.schema_id),
        schemaSql: String(row.initial_sql),
        answer: String(row.answer),
        // The database's CHECKs allow only these values.
        settings: {
          row_order: (row.row_order ?? 'auto') as GradingSettings['row_order'],
          column_names: (row.column_names ?? 'ignore') as GradingSettings['column_names'],
          numeric_tolerance: row.numeric_tolerance === null ? null : Number(row.numeric_tolerance)
        }
      }
    },

    async datasets (questionId: string): Promise<string[]> {
      const rows = await db.query(sql`SELECT initial_sql FROM hidden_datasets WHERE question_id = ${questionId} ORDER BY id`)
      return rows.map(row => String(row.initial_sql))
    },

    async schemaSql (schemaId: string): Promise<string | null> {
      const [row] = await db.query(sql`SELECT initial_sql FROM schemas WHERE id = ${schemaId}`)
      return row ? String(row.initial_sql) : null
    },

    /**
     * Records (or renews) a user's run; the text is the user's own. The same
     * run again within a minute is not written: a read costs no row lock and
     * no commit, where every renewal of one row would wait for the last one's.
     * (So a challenge lasts an hour from its last run, give or take a minute.)
     */
    async save (challenge: { userId: string, questionId: string, inputHash: string, query: string }): Promise<void> {
      const [fresh] = await db.query(sql`
        SELECT 1 FROM challenges
        WHERE user_id = ${challenge.userId} AND question_id = ${challenge.questionId} AND input_hash = ${challenge.inputHash}
          AND query = ${challenge.query} AND ran_at > now() - interval '1 minute'`)
      if (fresh) return
      await db.query(sql`
        INSERT INTO challenges (user_id, question_id, input_hash, query) VALUES (${challenge.userId}, ${challenge.questionId}, ${challenge.inputHash}, ${challenge.query})
        ON CONFLICT (user_id, question_id, input_hash) DO UPDATE SET query = EXCLUDED.query, ran_at = now()`)
    },

    /** Live challenges of this run: the given user's first, then anyone's. */
    async find (questionId: string, inputHash: string, userId: string | null): Promise<ChallengeRow | null> {
      const [row] = await db.query(sql`
        SELECT user_id, query FROM challenges
        WHERE question_id = ${questionId} AND input_hash = ${inputHash}
          AND ran_at > now() - make_interval(secs => ${CHALLENGE_TTL_SECONDS})
        ORDER BY (user_id = ${userId ?? ''}) DESC LIMIT 1`)
      return row ? { userId: String(row.user_id), query: String(row.query) } : null
    },

    /** How many times this user compared on this question in the last hour, and when the oldest of those was. */
    async recentCompares (userId: string, questionId: string): Promise<{ count: number, oldest: Date | null }> {
      const [row] = await db.query(sql`
        SELECT count(*) AS count, min(created_at) AS oldest FROM submissions
        WHERE user_id = ${userId} AND question_id = ${questionId} AND created_at > now() - interval '1 hour'`)
      return { count: Number(row?.count ?? 0), oldest: row?.oldest ? new Date(row.oldest as string) : null }
    },

    /** Forgets challenges past their hour. */
    async sweep (): Promise<number> {
      const [row] = await db.query(sql`
        WITH gone AS (DELETE FROM challenges WHERE ran_at < now() - make_interval(secs => ${CHALLENGE_TTL_SECONDS}) RETURNING 1)
        SELECT count(*) AS count FROM gone`)
      return Number(row?.count ?? 0)
    }
  }
}

export type ChallengeStore = ReturnType<typeof createChallengeStore>
