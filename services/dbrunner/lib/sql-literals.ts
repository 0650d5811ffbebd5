// SQL literals as SQLite's quote() writes them (NULL, 12, 1.5, 'it''s',
// X'00FF'): the one form in which dumped and generated rows are held, so a
// value's type survives the trip from a database to SQL text and back.
import type { QueryResult } from './engine-types.ts'

/** Runs `query` on the database made by the SQL text `database`. */
export type RunSql = (database: string, query: string) => Promise<QueryResult | { error: string }>
/** True when `actual` counts as the same result as `expected` (how a question grades). */
export type SameResult = (expected: QueryResult, actual: QueryResult) => boolean

/** A row as SQL literals, one per column. */
export type LiteralRow = string[]

export type LiteralValue =
  | { kind: 'null' }
  | { kind: 'integer', value: number }
  | { kind: 'real', value: number }
  | { kind: 'text', value: string }
  | { kind: 'blob', hex: string }

/** "name" with inner double quotes doubled: safe for any table or column name. */
export function quoteIdentifier (name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export function textLiteral (text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** A number as SQL; reals keep a decimal point (or exponent) so they stay reals. */
export function numberLiteral (value: number, kind: 'integer' | 'real'): string {
  if (kind === 'integer' && Number.isSafeInteger(value)) return String(value)
  if (!Number.isFinite(value)) return value > 0 ? '9e999' : '-9e999'
  const text = String(value)
  return /[.e]/.test(text) ? text : `${text}.0`
}

export function parseLiteral (literal: string): LiteralValue {
  if (literal === 'NULL') return { kind: 'null' }
  if (literal.startsWith("'")) return { kind: 'text', value: literal.slice(1, -1).replace(/''/g, "'") }
  if (/^x'/i.test(literal)) return { kind: 'blob', hex: literal.slice(2, -1) }
  const value = Number(literal)
  return /^-?\d+$/.test(literal) ? { kind: 'integer', value } : { kind: 'real', value }
}

export function isError (result: QueryResult | { error: string }): result is { error: string } {
  return 'error' in result
}

/** Runs a query that must succeed (reading the catalogue, rows): its error is thrown. */
export async function mustRun (runSql: RunSql, database: string, query: string): Promise<QueryResult> {
  const result = await runSql(database, query)
  if (isError(result)) throw new Error(`${result.error} (in: ${query.slice(0, 120)})`)
  return result
}
