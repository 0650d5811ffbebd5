// Mistake clusters: a question's wrong submissions grouped by what they
// produced on the visible database (output hash) and why they were wrong.
// Read from the submissions as recorded: no query runs again.
import { HttpError } from '../../../lib/http-error.ts'
import type { Database, Sql } from './database.ts'

type Cell = string | null

export interface MistakeCluster {
  count: number
  /** count / all wrong submissions of the question */
  share: number
  reason: string | null
  expected_row: Cell[] | null
  actual_row: Cell[] | null
  /** up to 3 distinct queries of the cluster, oldest first */
  examples: string[]
}

export async function mistakeClusters (db: Database, sql: Sql, questionId: string, limit: number): Promise<MistakeCluster[]> {
  const [question] = await db.query(sql`SELECT id FROM questions WHERE id = ${questionId}`)
  if (!question) throw new HttpError(404, `question ${questionId} does not exist`)
  const rows = await db.query(sql`
    WITH clusters AS (
      SELECT output_hash, reason, count(*) AS count, min(id) AS first_id
      FROM submissions WHERE question_id = ${questionId} AND NOT same
      GROUP BY output_hash, reason
    ), total AS (SELECT sum(count) AS n FROM clusters)
    SELECT c.count, c.count / t.n AS share, c.reason, s.expected_row, s.actual_row,
      ARRAY(
        SELECT q.query FROM (
          SELECT query, min(id) AS first FROM submissions
          WHERE question_id = ${questionId} AND NOT same AND output_hash IS NOT DISTINCT FROM c.output_hash AND reason IS NOT DISTINCT FROM c.reason
          GROUP BY query ORDER BY first LIMIT 3
        ) AS q ORDER BY q.first
      ) AS examples
    FROM clusters c CROSS JOIN total t JOIN submissions s ON s.id = c.first_id
    ORDER BY c.count DESC, c.first_id
    LIMIT ${limit}`)
  return rows.map(row => ({
    count: Number(row.count),
    share: Math.round(Number(row.share) * 1000) / 1000,
    reason: row.reason === null ? null : String(row.reason),
    expected_row: (row.expected_row ?? null) as Cell[] | null,
    actual_row: (row.actual_row ?? null) as Cell[] | null,
    examples: (row.examples as string[]) ?? []
  }))
}
