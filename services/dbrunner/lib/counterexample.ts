// A small dataset on which a query and the reference answer disagree, to
// show a student why their query is wrong. It is made from the visible data
// only (this function is never given a hidden dataset, so nothing of one can
// leak): the visible rows as they are, or perturbed, then shrunk by taking
// rows out for as long as the two still disagree.
import { readSchema } from './database-schema.ts'
import { deleteRows } from './dataset-edits.ts'
import { evaluate, OUT_OF_TIME, readVisible, type EvaluationContext, type Evaluation } from './dataset-evaluation.ts'
import { perturbations } from './dataset-perturbations.ts'
import { datasetKey, rowCount, type Dataset } from './dataset-rows.ts'
import type { Cell, QueryResult } from './engine-types.ts'
import { readComparisons } from './query-comparisons.ts'
import { seedOf } from './seeded-random.ts'
import { isError, type RunSql, type SameResult } from './sql-literals.ts'
export type { RunSql, SameResult } from './sql-literals.ts'

export interface FindCounterexampleOptions {
  /** SQL of the visible database */
  database: string
  answer: string
  query: string
  runSql: RunSql
  same: SameResult
  timeBudgetMs?: number
  maxRowsPerTable?: number
}

export interface Counterexample {
  /** SQL that builds the dataset */
  initial_sql: string
  expected_rows: Cell[][]
  /** null when the query fails on the dataset (actual_error says why) */
  actual_rows: Cell[][] | null
  actual_error?: string
  /** first row of each side with no partner in the other; null when there is none */
  expected_row: Cell[] | null
  actual_row: Cell[] | null
}

const QUERY = 0

/** First row of each side that has no partner in the other (rows as multisets). */
function firstUnmatched (expected: Cell[][], actual: Cell[][]): { expected_row: Cell[] | null, actual_row: Cell[] | null } {
  const key = (row: Cell[]) => JSON.stringify(row)
  const left = new Map<string, number>()
  for (const row of actual) left.set(key(row), (left.get(key(row)) ?? 0) + 1)
  let expectedRow: Cell[] | null = null
  for (const row of expected) {
    const count = left.get(key(row)) ?? 0
    if (count > 0) left.set(key(row), count - 1)
    else expectedRow ??= row
  }
  const right = new Map<string, number>()
  for (const row of expected) right.set(key(row), (right.get(key(row)) ?? 0) + 1)
  let actualRow: Cell[] | null = null
  for (const row of actual) {
    const count = right.get(key(row)) ?? 0
    if (count > 0) right.set(key(row), count - 1)
    else actualRow ??= row
  }
  // Same rows in another order: the first position where they differ.
  if (expectedRow === null && actualRow === null) {
    const at = expected.findIndex((row, i) => key(row) !== key(actual[i]))
    if (at !== -1) return { expected_row: expected[at], actual_row: actual[at] }
  }
  return { expected_row: expectedRow, actual_row: actualRow }
}

export async function findCounterexample (options: FindCounterexampleOptions): Promise<Counterexample | null> {
  const { database, answer, query, runSql, same } = options
  const maxRows = options.maxRowsPerTable ?? 32
  const deadline = Date.now() + (options.timeBudgetMs ?? 1000)
  const schema = await readSchema(runSql, database)
  const visible = await readVisible({ database, answer, runSql, same, maxRowsPerTable: maxRows, deadline, schema })
  const { ctx, base } = visible
  // An answer with rows on the visible data should have rows in the counterexample too: an empty
  // expected result explains less.
  const requireRows = visible.expected.rows.length > 0
  const queries = [query]
  const disagree = async (data: Dataset): Promise<Evaluation | null | typeof OUT_OF_TIME> => {
    if (Date.now() > deadline) return OUT_OF_TIME
    const tried = await evaluate(ctx, data, queries, [QUERY], requireRows)
    return tried === null || tried === OUT_OF_TIME || tried.killed.has(QUERY) ? tried : null
  }

  let found: { data: Dataset, evaluation: Evaluation } | null = null
  const seen = new Set<string>()
  const candidates = perturbations({ schema, comparisons: readComparisons(schema, [answer, query]), maxRowsPerTable: maxRows, seed: seedOf(`${database}\u0000${answer}`) })
  for (let data: Dataset | null = base; found === null;) {
    if (data !== null && !seen.has(datasetKey(data))) {
      seen.add(datasetKey(data))
      const tried = await disagree(data)
      if (tried === OUT_OF_TIME) break
      if (tried !== null) found = { data, evaluation: tried }
    }
    const next = candidates.next()
    if (next.done === true) break
    data = next.value.apply(base)
  }
  if (found === null) return null
  return describe(await shrink(ctx, found, disagree))
}

/** Takes rows out (halves, quarters, ... single rows of each table) while the two still disagree. */
async function shrink (ctx: EvaluationContext, found: { data: Dataset, evaluation: Evaluation }, disagree: (data: Dataset) => Promise<Evaluation | null | typeof OUT_OF_TIME>): Promise<{ data: Dataset, evaluation: Evaluation }> {
  let best = found
  for (let progress = true; progress;) {
    progress = false
    for (const table of [...ctx.schema.tables].reverse()) {
      for (let size = best.data.get(table.name)?.length ?? 0; size >= 1; size = Math.floor(size / 2)) {
        for (let start = 0; start < (best.data.get(table.name)?.length ?? 0); start += size) {
          const smaller = deleteRows(ctx.schema, best.data, table, (_, i) => i < start || i >= start + size)
          if (smaller === null || rowCount(smaller) >= rowCount(best.data)) continue
          const tried = await disagree(smaller)
          if (tried === OUT_OF_TIME) return best
          if (tried === null) continue
          best = { data: smaller, evaluation: tried }
          progress = true
          start -= size // the rows after the removed ones moved up
        }
      }
    }
  }
  return best
}

function describe ({ evaluation }: { evaluation: Evaluation }): Counterexample {
  const actual = evaluation.results.get(QUERY)!
  const expectedRows = evaluation.expected.rows
  if (isError(actual)) {
    return { initial_sql: evaluation.sql, expected_rows: expectedRows, actual_rows: null, actual_error: actual.error, expected_row: expectedRows[0] ?? null, actual_row: null }
  }
  return { initial_sql: evaluation.sql, expected_rows: expectedRows, actual_rows: (actual as QueryResult).rows, ...firstUnmatched(expectedRows, actual.rows) }
}
