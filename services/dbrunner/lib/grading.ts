// Grading: compares a student's result with the reference answer's result.
// Columns are compared by position (names and aliases are free), rows as
// multisets unless the reference answer orders them.

import { isKeyword, splitStatements, tokenize } from './normalise.ts'
import type { Token } from './normalise.ts'
import type { Cell, QueryResult } from './sql-engine.ts'

/** The one list of verdict reasons: API schemas and pages take it from here. */
export const verdictReasons = ['columns differ', 'row count differs', 'order differs', 'values differ', 'fails on a hidden dataset'] as const
export type VerdictReason = typeof verdictReasons[number]

export interface Verdict {
  same: boolean
  reason?: VerdictReason
  /** first differing row of the expected result (null when there is none) */
  expected_row?: Cell[] | null
  /** first differing row of the actual result (null when there is none) */
  actual_row?: Cell[] | null
}

// JSON keeps null and the text "NULL" apart, and compares NULL equal to NULL.
const rowKey = (row: Cell[]): string => JSON.stringify(row)

/** First row of each side that has no partner in the other side's multiset. */
function firstUnmatched (expected: Cell[][], actual: Cell[][]): { expected_row: Cell[] | null, actual_row: Cell[] | null } {
  const counts = new Map<string, number>()
  for (const row of expected) counts.set(rowKey(row), (counts.get(rowKey(row)) ?? 0) + 1)
  let actualRow: Cell[] | null = null
  for (const row of actual) {
    const key = rowKey(row)
    const count = counts.get(key) ?? 0
    if (count > 0) counts.set(key, count - 1)
    else actualRow ??= row
  }
  // Whatever count is left over belongs to the expected rows not matched;
  // walking from the end attributes the matches to the earliest copies.
  let expectedRow: Cell[] | null = null
  for (let i = expected.length - 1; i >= 0; i--) {
    const key = rowKey(expected[i])
    const count = counts.get(key) ?? 0
    if (count > 0) {
      expectedRow = expected[i]
      counts.set(key, count - 1)
    }
  }
  return { expected_row: expectedRow, actual_row: actualRow }
}

/** First position where the two sequences differ. */
function firstDifference (expected: Cell[][], actual: Cell[][]): { expected_row: Cell[] | null, actual_row: Cell[] | null } {
  const length = Math.max(expected.length, actual.length)
  for (let i = 0; i < length; i++) {
    if (i >= expected.length || i >= actual.length || rowKey(expected[i]) !== rowKey(actual[i])) {
      return { expected_row: expected[i] ?? null, actual_row: actual[i] ?? null }
    }
  }
  return { expected_row: null, actual_row: null }
}

export function compareResults (expected: QueryResult, actual: QueryResult, options: { ordered: boolean }): Verdict {
  if (expected.header.length !== actual.header.length) return { same: false, reason: 'columns differ' }

  const unmatched = firstUnmatched(expected.rows, actual.rows)
  const sameMultiset = unmatched.expected_row === null && unmatched.actual_row === null
  if (expected.rows.length !== actual.rows.length) {
    return { same: false, reason: 'row count differs', ...(options.ordered ? firstDifference(expected.rows, actual.rows) : unmatched) }
  }
  if (!sameMultiset) {
    return { same: false, reason: 'values differ', ...(options.ordered ? firstDifference(expected.rows, actual.rows) : unmatched) }
  }
  if (options.ordered) {
    const difference = firstDifference(expected.rows, actual.rows)
    if (difference.expected_row !== null) return { same: false, reason: 'order differs', ...difference }
  }
  return { same: true }
}

// Statements that can give the run's result: SELECT, VALUES, WITH, PRAGMA,
// EXPLAIN, and anything with RETURNING at depth 0.
function returnsRows (statement: Token[]): boolean {
  if (['SELECT', 'VALUES', 'WITH', 'PRAGMA', 'EXPLAIN'].some(word => isKeyword(statement[0], word))) return true
  return atDepthZero(statement).some(token => isKeyword(token, 'RETURNING'))
}

function atDepthZero (statement: Token[]): Token[] {
  const out: Token[] = []
  let depth = 0
  for (const token of statement) {
    if (token.type === 'punct' && token.text === '(') depth++
    else if (token.type === 'punct' && token.text === ')') depth = Math.max(0, depth - 1)
    else if (depth === 0) out.push(token)
  }
  return out
}

/**
 * True when the statement that produces the result (the last one that can
 * return rows, else the last one) has ORDER BY outside any parentheses: not
 * in a subquery, CTE, window definition, function call or string.
 */
export function hasOuterOrderBy (sql: string): boolean {
  const statements = splitStatements(tokenize(sql))
  const statement = statements.findLast(returnsRows) ?? statements.at(-1)
  if (statement === undefined) return false
  const outer = atDepthZero(statement)
  return outer.some((token, i) => isKeyword(token, 'ORDER') && isKeyword(outer[i + 1], 'BY'))
}
