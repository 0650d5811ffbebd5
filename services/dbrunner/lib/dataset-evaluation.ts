// Trying a candidate dataset: build it with the engine (NOT NULL, UNIQUE,
// PRIMARY KEY and CHECK are enforced while its rows go in), check its
// foreign keys, run the reference answer, then the queries to tell apart
// from it. A query is killed when it errors where the answer runs or its
// result is not the same. A dataset on which the answer's result depends on
// the order rows are scanned in is no use and is dropped.
import { tieBreakingVariants } from './answer-ties.ts'
import type { DatabaseSchema } from './database-schema.ts'
import { rowsToSql } from './database-dump.ts'
import { readTableRows } from './database-dump.ts'
import { dropOrphans, type Dataset } from './dataset-rows.ts'
import type { QueryResult } from './engine-types.ts'
import { isError, type RunSql, type SameResult } from './sql-literals.ts'

export interface EvaluationContext {
  schema: DatabaseSchema
  runSql: RunSql
  same: SameResult
  answer: string
  /** false when the visible data itself breaks its foreign keys: datasets are then not held to them */
  checkForeignKeys: boolean
  /** Date.now() after which no more queries are run */
  deadline: number
}

export interface Evaluation {
  sql: string
  expected: QueryResult
  /** indexes of the queries killed */
  killed: Set<number>
  /** what each query tried gave */
  results: Map<number, QueryResult | { error: string }>
}

/** Out of time: stop searching. */
export const OUT_OF_TIME = Symbol('out of time')

/**
 * Builds and tries `data` on queries[i] for each i in `indexes`. Null when
 * the dataset breaks the schema's constraints, or the answer fails on it
 * (or gives no rows when `requireRows`).
 */
export async function evaluate (ctx: EvaluationContext, data: Dataset, queries: readonly string[], indexes: Iterable<number>, requireRows: boolean): Promise<Evaluation | null | typeof OUT_OF_TIME> {
  const sql = rowsToSql(ctx.schema, data)
  if (ctx.checkForeignKeys) {
    const check = await ctx.runSql(sql, 'PRAGMA foreign_key_check')
    if (isError(check) || check.rows.length > 0) return null
  }
  const expected = await ctx.runSql(sql, ctx.answer)
  if (isError(expected) || (requireRows && expected.rows.length === 0)) return null
  const killed = new Set<number>()
  const results = new Map<number, QueryResult | { error: string }>()
  for (const index of indexes) {
    if (Date.now() > ctx.deadline) return OUT_OF_TIME
    const actual = await ctx.runSql(sql, queries[index])
    results.set(index, actual)
    if (isError(actual) || !ctx.same(expected, actual)) killed.add(index)
  }
  // A dataset that tells queries apart must not leave the answer's own
  // result to chance (ties before a LIMIT or in the order, rows in scan
  // order): settling those must not change it.
  if (killed.size > 0) {
    for (const variant of tieBreakingVariants(ctx.answer, expected.header.length)) {
      if (Date.now() > ctx.deadline) return OUT_OF_TIME
      const settled = await ctx.runSql(sql, variant)
      if (isError(settled) || !ctx.same(expected, settled)) return null
    }
  }
  return { sql, expected, killed, results }
}

export interface VisibleData {
  ctx: EvaluationContext
  /** the visible rows, at most maxRowsPerTable per table (rows left without a parent dropped) */
  base: Dataset
  /** the answer's result on the visible database */
  expected: QueryResult
}

/** Reads the visible database: its rows, whether it keeps its foreign keys, the answer's result. */
export async function readVisible (options: { database: string, answer: string, runSql: RunSql, same: SameResult, maxRowsPerTable: number, deadline: number, schema: DatabaseSchema }): Promise<VisibleData> {
  const { database, answer, runSql, schema } = options
  const expected = await runSql(database, answer)
  if (isError(expected)) throw new Error(`the reference answer does not run on the database: ${expected.error}`)
  const check = await runSql(database, 'PRAGMA foreign_key_check')
  const checkForeignKeys = !isError(check) && check.rows.length === 0
  const base: Dataset = new Map()
  for (const table of schema.tables) {
    base.set(table.name, (await readTableRows(runSql, database, table, { limit: options.maxRowsPerTable })).rows)
  }
  if (checkForeignKeys) dropOrphans(schema, base)
  return { ctx: { schema, runSql, same: options.same, answer, checkForeignKeys, deadline: options.deadline }, base, expected }
}
