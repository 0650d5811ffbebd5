// The leaderboard: one page of the summary the ledger's trigger keeps
// (leaderboard_entries, migration 005), read in the order of one index, so
// its cost does not grow with the number of users. Users are shown by the
// display name their token carried, else by a stable pseudonym: never by an
// e-mail address or their user id.
import { createHmac } from 'node:crypto'
import { cleanDisplayName } from '../../../lib/identity-headers.ts'
import type { Database, Sql } from './database.ts'

export const periods = ['day', 'week', 'all'] as const
export const rankings = ['points', 'solved'] as const

export type Period = typeof periods[number]
export type Ranking = typeof rankings[number]

export interface LeaderboardRow {
  rank: number
  user: string
  points: number
  solved: number
}

/** A friendly name for a user without one: the same for the same user and key, and telling nothing of the id without the key. */
export function pseudonym (key: string, userId: string): string {
  return `Learner ${createHmac('sha256', key).update(userId).digest('hex').slice(0, 8)}`
}

export async function leaderboard (db: Database, sql: Sql, options: { period: Period, by: Ranking, limit: number, offset: number, pseudonymKey: string }): Promise<LeaderboardRow[]> {
  const { period, limit, offset } = options
  // The period that holds now, in UTC: today, this ISO week (from Monday), or all time.
  const starts = sql`CASE ${period}::text
    WHEN 'day' THEN (now() AT TIME ZONE 'UTC')::date
    WHEN 'week' THEN date_trunc('week', now() AT TIME ZONE 'UTC')::date
    ELSE '-infinity'::date END`
  // Ties go to whoever reached the total first, then to the user id, so
  // every rank is one user's and pages never overlap. The page is cut from
  // the index first; only its users' names are looked up.
  const rows = options.by === 'points'
    ? await db.query(sql`
        SELECT e.user_id, u.display_name, e.points, e.solved FROM (
          SELECT user_id, points, solved, points_reached_at FROM leaderboard_entries
          WHERE period = ${period} AND starts = ${starts}
          ORDER BY points DESC, points_reached_at, user_id LIMIT ${limit} OFFSET ${offset}
        ) e JOIN users u ON u.id = e.user_id
        ORDER BY e.points DESC, e.points_reached_at, e.user_id`)
    : await db.query(sql`
        SELECT e.user_id, u.display_name, e.points, e.solved FROM (
          SELECT user_id, points, solved, solved_reached_at FROM leaderboard_entries
          WHERE period = ${period} AND starts = ${starts}
          ORDER BY solved DESC, solved_reached_at, user_id LIMIT ${limit} OFFSET ${offset}
        ) e JOIN users u ON u.id = e.user_id
        ORDER BY e.solved DESC, e.solved_reached_at, e.user_id`)
  return rows.map((row, index) => ({
    rank: offset + index + 1,
    user: cleanDisplayName(row.display_name) ?? pseudonym(options.pseudonymKey, String(row.user_id)),
    points: Number(row.points),
    solved: Number(row.solved)
  }))
}
