// Grading: compares a student's result with the reference answer's result,
// under the question's grading settings. Columns compare by position (and,
// when asked, by name); rows as multisets, then in an order the reference's
// sort keys allow (rows that tie on every key may come in any order), or as
// the exact sequence; numbers exactly as text or within a tolerance.
import { asciiLower } from './normalise.ts'
import { sortKeys, type SortKey } from './sort-keys.ts'
import type { Cell, QueryResult } from './sql-engine.ts'

/** The one list of verdict reasons, each with its hint: API schemas and pages take them from here. */
export const verdictReasons = ['columns differ', 'row count differs', 'order differs', 'values differ', 'fails on a hidden dataset'] as const
export type VerdictReason = typeof verdictReasons[number]

export const verdictHints: Record<VerdictReason, string> = {
  'columns differ': 'Your result does not have the expected columns: check how many columns you select, in which order, and their names when the question asks for them.',
  'row count differs': 'Your result has a different number of rows: check your filters and joins, and whether duplicates should be kept or removed.',
  'order differs': 'Your rows are right but come in another order: check your ORDER BY (its columns and ASC/DESC).',
  'values differ': 'Some values differ: compare the first differing rows shown.',
  'fails on a hidden dataset': 'Your query is right on this data but not on other data with the same tables: make sure it does not depend on these particular rows.'
}

export interface Verdict {
  same: boolean
  reason?: VerdictReason
  /** the reason's hint, in a sentence */
  hint?: string
  /** first differing row of the expected result (null when there is none) */
  expected_row?: Cell[] | null
  /** first differing row of the actual result (null when there is none) */
  actual_row?: Cell[] | null
}

/** A question's grading settings, as teachers set them. */
export interface GradingSettings {
  /** auto: as the reference's ORDER BY allows; any: never; strict: the exact sequence */
  row_order: 'auto' | 'any' | 'strict'
  /** ignore: columns by position only; match: names must match too (ASCII case-insensitive) */
  column_names: 'ignore' | 'match'
  /** null: numbers as exact text; a number: numeric cells within it are equal (9.0 equals 9) */
  numeric_tolerance: number | null
}

export const defaultGradingSettings: GradingSettings = { row_order: 'auto', column_names: 'ignore', numeric_tolerance: null }

/** How rows are compared: as multisets, as sequences, or by sort keys (rows tying on every key are free). */
export type RowOrder = { kind: 'any' } | { kind: 'sequence' } | { kind: 'keys', keys: SortKey[] }

export interface CompareRules {
  order: RowOrder
  columnNames: GradingSettings['column_names']
  tolerance: number | null
}

/**
 * The rules a question's settings give for its reference answer, whose
 * result has `header`. A sort key that is not a result column (an
 * expression not selected) makes the order the exact sequence.
 */
export function rulesFor (answer: string, header: string[], settings: GradingSettings = defaultGradingSettings): CompareRules {
  const rules = { columnNames: settings.column_names, tolerance: settings.numeric_tolerance }
  if (settings.row_order === 'any') return { ...rules, order: { kind: 'any' } }
  if (settings.row_order === 'strict') return { ...rules, order: { kind: 'sequence' } }
  const keys = sortKeys(answer, header)
  if (keys === null) return { ...rules, order: { kind: 'any' } }
  if (keys.some(key => key.column === null)) return { ...rules, order: { kind: 'sequence' } }
  return { ...rules, order: { kind: 'keys', keys } }
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

function asNumber (cell: Cell): number | null {
  if (cell === null || !NUMBER.test(cell)) return null
  const value = Number(cell)
  return Number.isFinite(value) ? value : null
}

function cellsEqual (a: Cell, b: Cell, tolerance: number | null): boolean {
  if (a === b) return true
  if (tolerance === null || a === null || b === null) return false
  const x = asNumber(a)
  const y = asNumber(b)
  return x !== null && y !== null && Math.abs(x - y) <= tolerance
}

const rowsEqual = (a: Cell[], b: Cell[], tolerance: number | null) => a.length === b.length && a.every((cell, i) => cellsEqual(cell, b[i], tolerance))

// JSON keeps null and the text "NULL" apart. With a tolerance, numbers are
// keyed by their value, so 9.0 and 9 meet at once; nearer pairs are matched after.
function rowKey (row: Cell[], tolerance: number | null): string {
  if (tolerance === null) return JSON.stringify(row)
  return JSON.stringify(row.map(cell => { const value = asNumber(cell); return value === null ? cell : `#${value}` }))
}

/** The rows of each side with no partner on the other side (first unmatched of each, and whether all matched). */
function unmatched (expected: Cell[][], actual: Cell[][], tolerance: number | null): { expected: Cell[][], actual: Cell[][] } {
  const counts = new Map<string, number>()
  for (const row of expected) { const key = rowKey(row, tolerance); counts.set(key, (counts.get(key) ?? 0) + 1) }
  const actualLeft: Cell[][] = []
  for (const row of actual) {
    const key = rowKey(row, tolerance)
    const count = counts.get(key) ?? 0
    if (count > 0) counts.set(key, count - 1)
    else actualLeft.push(row)
  }
  // What count is left belongs to expected rows not matched; walking from the
  // end attributes the matches to the earliest copies.
  const expectedLeft: Cell[][] = []
  for (let i = expected.length - 1; i >= 0; i--) {
    const key = rowKey(expected[i], tolerance)
    const count = counts.get(key) ?? 0
    if (count > 0) { expectedLeft.unshift(expected[i]); counts.set(key, count - 1) }
  }
  if (tolerance === null || tolerance === 0 || expectedLeft.length === 0 || actualLeft.length === 0 || expectedLeft.length * actualLeft.length > 4_000_000) {
    return { expected: expectedLeft, actual: actualLeft }
  }
  // Within a tolerance, the rest pair up one by one.
  const free = [...actualLeft]
  const stillExpected: Cell[][] = []
  for (const row of expectedLeft) {
    const partner = free.findIndex(candidate => rowsEqual(row, candidate, tolerance))
    if (partner === -1) stillExpected.push(row)
    else free.splice(partner, 1)
  }
  return { expected: stillExpected, actual: free }
}

/** First position where the sequences differ (under `same`). */
function firstDifference (expected: Cell[][], actual: Cell[][], same: (a: Cell[], b: Cell[]) => boolean): { expected_row: Cell[] | null, actual_row: Cell[] | null } | null {
  const length = Math.max(expected.length, actual.length)
  for (let i = 0; i < length; i++) {
    if (i >= expected.length || i >= actual.length || !same(expected[i], actual[i])) {
      return { expected_row: expected[i] ?? null, actual_row: actual[i] ?? null }
    }
  }
  return null
}

function foldFor (collation: SortKey['collation']): (cell: Cell) => Cell {
  if (collation === 'nocase') return cell => cell === null ? null : asciiLower(cell)
  if (collation === 'rtrim') return cell => cell === null ? null : cell.replace(/ +$/, '')
  return cell => cell
}

// Sorted by the same keys, two results hold the same sequence of key values:
// with the same multiset of rows, that is exactly "in an order the keys allow".
function keysEqual (rules: CompareRules, keys: SortKey[]) {
  const folds = keys.map(key => foldFor(key.collation))
  return (a: Cell[], b: Cell[]) => keys.every((key, i) => cellsEqual(folds[i](a[key.column!]), folds[i](b[key.column!]), rules.tolerance))
}

/** A verdict that the results differ, for `reason`, with its hint. */
export function differs (reason: VerdictReason, rows: { expected_row?: Cell[] | null, actual_row?: Cell[] | null } = {}): Verdict {
  return { same: false, reason, hint: verdictHints[reason], ...rows }
}

export function compareWith (expected: QueryResult, actual: QueryResult, rules: CompareRules): Verdict {
  if (expected.header.length !== actual.header.length) return differs('columns differ')
  if (rules.columnNames === 'match' && expected.header.some((name, i) => asciiLower(name) !== asciiLower(actual.header[i]))) {
    return differs('columns differ')
  }
  const left = unmatched(expected.rows, actual.rows, rules.tolerance)
  const sameRow = (a: Cell[], b: Cell[]) => rowsEqual(a, b, rules.tolerance)
  const sequential = rules.order.kind !== 'any'
  const rows = () => sequential
    ? firstDifference(expected.rows, actual.rows, sameRow) ?? { expected_row: null, actual_row: null }
    : { expected_row: left.expected[0] ?? null, actual_row: left.actual[0] ?? null }
  if (expected.rows.length !== actual.rows.length) return differs('row count differs', rows())
  if (left.expected.length > 0 || left.actual.length > 0) return differs('values differ', rows())
  const inOrder = rules.order.kind === 'sequence' ? sameRow : rules.order.kind === 'keys' ? keysEqual(rules, rules.order.keys) : null
  if (inOrder !== null) {
    const difference = firstDifference(expected.rows, actual.rows, inOrder)
    if (difference !== null) return differs('order differs', difference)
  }
  return { same: true }
}

/**
 * Compares with the defaults, order as the sequence (`ordered`) or free: for
 * callers that decide the order themselves.
 */
export function compareResults (expected: QueryResult, actual: QueryResult, options: { ordered: boolean }): Verdict {
  return compareWith(expected, actual, { order: { kind: options.ordered ? 'sequence' : 'any' }, columnNames: 'ignore', tolerance: null })
}

/** True when the result statement of `sql` has an ORDER BY outside any parentheses. */
export function hasOuterOrderBy (sql: string): boolean {
  return sortKeys(sql, []) !== null
}
