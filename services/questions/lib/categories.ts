// The question types of the catalogue, with how many questions each has.
import type { Database, Sql } from './database.ts'

export async function questionCategories (db: Database, sql: Sql): Promise<{ type: string, count: number }[]> {
  // Sorted by code point, so the order is the same whatever the database's collation.
  const rows = await db.query(sql`SELECT type, count(*) AS count FROM questions GROUP BY type ORDER BY type COLLATE "C"`)
  return rows.map(row => ({ type: String(row.type), count: Number(row.count) }))
}
