// Points, submissions and statistics. Every change of points is a ledger row;
// the database keeps the balance (trigger) and refuses to let it go negative
// (CHECK), and partial unique indexes make "once per user and question"
// hold under any concurrency, so no code here needs to lock anything.
import { HttpError } from '../../../lib/http-error.ts'
import { count } from '../../../lib/metrics.ts'
import type { Database, Sql } from './database.ts'

export type { Database, Sql }

export interface PointRules {
  startingPoints: number
  solutionCost: number
  byDifficulty: Record<string, number>
}

const CHECK_VIOLATION = '23514'

/**
 * Makes sure the user's row exists (a new user gets the welcome points).
 * With a display name (null: the token had none), the row keeps the latest
 * one; without (undefined), the stored name is left as it is.
 */
export async function ensureUser (db: Database, sql: Sql, userId: string, rules: PointRules, displayName?: string | null): Promise<void> {
  const welcomed = await db.tx(async tx => {
    const created = displayName === undefined
      ? await tx.query(sql`INSERT INTO users (id) VALUES (${userId}) ON CONFLICT (id) DO NOTHING RETURNING id`)
      : (await tx.query(sql`
          INSERT INTO users (id, display_name) VALUES (${userId}, ${displayName})
          ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name WHERE users.display_name IS DISTINCT FROM EXCLUDED.display_name
          RETURNING (xmax = 0) AS inserted`)).filter(row => row.inserted === true)
    if (created.length > 0 && rules.startingPoints !== 0) {
      await tx.query(sql`INSERT INTO point_ledger (user_id, amount, reason) VALUES (${userId}, ${rules.startingPoints}, 'welcome')`)
      return true
    }
    return false
  })
  if (welcomed) count('pointsAwarded', { reason: 'welcome' }, rules.startingPoints)
}

// Debits the solution's cost the first time this user opens it; later opens
// are free. Too few points: 402, and nothing is debited.
export async function payForSolution (db: Database, sql: Sql, userId: string, questionId: string, rules: PointRules, displayName?: string | null): Promise<{ charged: number }> {
  await ensureUser(db, sql, userId, rules, displayName)
  const refuse = async () => {
    const [user] = await db.query(sql`SELECT points FROM users WHERE id = ${userId}`)
    return new HttpError(402, `not enough points: opening this solution costs ${rules.solutionCost} points and you have ${user?.points ?? 0}`)
  }
  let rows
  try {
    // The balance test up front keeps the usual refusal quiet; under a race,
    // the CHECK on users.points is what holds.
    rows = await db.query(sql`
      INSERT INTO point_ledger (user_id, amount, reason, question_id)
      SELECT ${userId}, ${-rules.solutionCost}, 'solution', ${questionId}
      WHERE (SELECT points FROM users WHERE id = ${userId}) >= ${rules.solutionCost}
      ON CONFLICT (user_id, reason, question_id) WHERE reason IN ('solved', 'solution') DO NOTHING
      RETURNING amount`)
  } catch (error) {
    if ((error as { code?: string }).code !== CHECK_VIOLATION) throw error
    throw await refuse()
  }
  if (rows.length > 0) {
    count('pointsSpent', { reason: 'solution' }, rules.solutionCost)
    return { charged: rules.solutionCost }
  }
  const paid = await db.query(sql`SELECT 1 FROM point_ledger WHERE user_id = ${userId} AND reason = 'solution' AND question_id = ${questionId}`)
  if (paid.length > 0) return { charged: 0 }
  throw await refuse()
}

export interface SubmissionInput {
  userId: string
  questionId: string
  query: string
  same: boolean
  reason: string | null
  /** what the query gave on the visible database, and the first differing rows: what groups mistakes */
  outputHash?: string
  expectedRow?: (string | null)[] | null
  actualRow?: (string | null)[] | null
}

// Records a graded attempt; the first correct one awards the question's
// points. That award is a ledger row even when it is worth 0 points: the
// leaderboard counts solves from the ledger.
export async function recordSubmission (db: Database, sql: Sql, input: SubmissionInput, rules: PointRules): Promise<{ id: string, awarded: number }> {
  await ensureUser(db, sql, input.userId, rules)
  const recorded = await db.tx(async tx => {
    const [question] = await tx.query(sql`SELECT difficulty FROM questions WHERE id = ${input.questionId}`)
    if (!question) throw new HttpError(404, `question ${input.questionId} does not exist`)
    const [submission] = await tx.query(sql`
      INSERT INTO submissions (user_id, question_id, query, same, reason, output_hash, expected_row, actual_row)
      VALUES (${input.userId}, ${input.questionId}, ${input.query}, ${input.same}, ${input.reason}, ${input.outputHash ?? null},
        ${input.expectedRow === undefined ? null : JSON.stringify(input.expectedRow)}::jsonb, ${input.actualRow === undefined ? null : JSON.stringify(input.actualRow)}::jsonb)
      RETURNING id`)
    let awarded = 0
    const amount = rules.byDifficulty[String(question.difficulty)] ?? 0
    if (input.same) {
      const rows = await tx.query(sql`
        INSERT INTO point_ledger (user_id, amount, reason, question_id)
        VALUES (${input.userId}, ${amount}, 'solved', ${input.questionId})
        ON CONFLICT (user_id, reason, question_id) WHERE reason IN ('solved', 'solution') DO NOTHING
        RETURNING amount`)
      if (rows.length > 0) awarded = amount
    }
    return { id: String(submission.id), awarded }
  })
  // Counted once the transaction holds.
  count('submissions', { correct: String(input.same) })
  if (recorded.awarded > 0) count('pointsAwarded', { reason: 'solved' }, recorded.awarded)
  return recorded
}

export async function profile (db: Database, sql: Sql, userId: string, rules: PointRules, displayName?: string | null) {
  await ensureUser(db, sql, userId, rules, displayName)
  const [row] = await db.query(sql`
    SELECT u.points,
      (SELECT count(DISTINCT question_id) FROM submissions WHERE user_id = u.id AND same) AS solved,
      (SELECT count(DISTINCT question_id) FROM submissions WHERE user_id = u.id) AS attempted
    FROM users u WHERE u.id = ${userId}`)
  return { id: userId, points: Number(row.points), solved: Number(row.solved), attempted: Number(row.attempted) }
}

export async function listSubmissions (db: Database, sql: Sql, userId: string, options: { questionId?: string, limit: number, offset: number }) {
  const rows = await db.query(sql`
    SELECT id, question_id, query, same, reason, created_at FROM submissions
    WHERE user_id = ${userId} AND (${options.questionId ?? null}::bigint IS NULL OR question_id = ${options.questionId ?? null}::bigint)
    ORDER BY id DESC LIMIT ${options.limit} OFFSET ${options.offset}`)
  return rows.map(row => ({
    id: String(row.id),
    question_id: String(row.question_id),
    query: String(row.query),
    same: Boolean(row.same),
    reason: row.reason === null ? null : String(row.reason),
    created_at: new Date(row.created_at as string).toISOString()
  }))
}

/** The user's ledger, newest first: every change of their points and why. */
export async function pointHistory (db: Database, sql: Sql, userId: string, options: { limit: number, offset: number }) {
  const rows = await db.query(sql`
    SELECT amount, reason, question_id, created_at FROM point_ledger
    WHERE user_id = ${userId}
    ORDER BY created_at DESC, id DESC LIMIT ${options.limit} OFFSET ${options.offset}`)
  return rows.map(row => ({
    amount: Number(row.amount),
    // The database's CHECK allows only these.
    reason: String(row.reason) as 'welcome' | 'solved' | 'solution',
    question_id: row.question_id === null ? null : String(row.question_id),
    created_at: new Date(row.created_at as string).toISOString()
  }))
}

export async function questionStatistics (db: Database, sql: Sql, questionId: string) {
  const [question] = await db.query(sql`SELECT id FROM questions WHERE id = ${questionId}`)
  if (!question) throw new HttpError(404, `question ${questionId} does not exist`)
  const [row] = await db.query(sql`
    SELECT count(*) AS submissions,
      count(*) FILTER (WHERE same) AS correct_submissions,
      count(DISTINCT user_id) AS attempted_users,
      count(DISTINCT user_id) FILTER (WHERE same) AS solved_users
    FROM submissions WHERE question_id = ${questionId}`)
  const attempted = Number(row.attempted_users)
  const solved = Number(row.solved_users)
  return {
    question_id: questionId,
    submissions: Number(row.submissions),
    correct_submissions: Number(row.correct_submissions),
    attempted_users: attempted,
    solved_users: solved,
    pass_rate: attempted === 0 ? 0 : Math.round((solved / attempted) * 1000) / 1000
  }
}
