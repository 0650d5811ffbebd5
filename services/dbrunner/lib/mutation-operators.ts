// The mutation operators that act on expressions, wherever they are: in the
// SELECT list, WHERE, ON, HAVING, and at any depth of subqueries. Each one
// lists candidate edits of the answer's tokens; mutation.ts renders, checks
// and selects them.

import { asciiUpper } from './normalise.ts'
import { coreAt, kw, levelIndices, punct, splitAt } from './mutation-syntax.ts'
import type { QueryText, Range, SelectCore } from './mutation-syntax.ts'
import { styled } from './mutation-render.ts'
import type { Edit } from './mutation-render.ts'

/** The catalogue, in the order mutants are listed. */
export const mutationOperators = [
  'join-type', // INNER / LEFT / RIGHT / FULL / CROSS (CROSS without its ON)
  'comparison', // < and <=, > and >=, = and <>
  'and-or', // AND and OR (not the AND of BETWEEN)
  'where-conjunct', // one top-level AND term of WHERE dropped (the whole WHERE when it has one)
  'having-conjunct', // the same for HAVING
  'distinct', // SELECT DISTINCT added or removed
  'count', // COUNT(*), COUNT(col), COUNT(DISTINCT col)
  'sum-avg', // SUM and AVG
  'min-max', // MIN and MAX
  'group-by', // one GROUP BY term dropped (the whole GROUP BY when it has one)
  'order-direction', // ASC and DESC of one ORDER BY key, implicit ASC included
  'limit', // LIMIT n + 1 and n - 1
  'null-test', // IS NULL and IS NOT NULL, ISNULL and NOTNULL
  'in', // IN and NOT IN
  'union', // UNION and UNION ALL
  'constant' // a number compared in WHERE, HAVING or ON, plus and minus 1
] as const

export type MutationOperator = typeof mutationOperators[number]

export interface Candidate { operator: MutationOperator, edits: Edit[] }

const replace = (from: number, to: number, text: string): Edit => ({ from, to, text })
const insertBefore = (i: number, text: string): Edit => ({ from: i, to: i, text })
const remove = (from: number, to: number): Edit => ({ from, to, text: '' })

function * statementIndices (q: QueryText): Generator<number> {
  for (let i = q.statement.from; i < q.statement.to; i++) yield i
}

const COMPARISONS: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>', '=': '<>', '==': '<>', '<>': '=', '!=': '=' }

const isComparison = (q: QueryText, i: number) => q.tokens[i]?.type === 'operator' && COMPARISONS[q.tokens[i].text] !== undefined

export function comparison (q: QueryText): Candidate[] {
  return [...statementIndices(q)].filter(i => isComparison(q, i))
    .map(i => ({ operator: 'comparison', edits: [replace(i, i + 1, COMPARISONS[q.tokens[i].text])] }))
}

export function andOr (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (const i of statementIndices(q)) {
    const text = q.tokens[i].text
    if (kw(q, i, 'AND') && !q.betweenAnds.has(i)) out.push({ operator: 'and-or', edits: [replace(i, i + 1, styled('OR', text))] })
    else if (kw(q, i, 'OR')) out.push({ operator: 'and-or', edits: [replace(i, i + 1, styled('AND', text))] })
  }
  return out
}

export function nullTest (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  const add = (edit: Edit) => out.push({ operator: 'null-test', edits: [edit] })
  for (const i of statementIndices(q)) {
    const text = q.tokens[i].text
    if (kw(q, i, 'IS') && kw(q, i + 1, 'NULL')) add(insertBefore(i + 1, styled('NOT', text)))
    else if (kw(q, i, 'IS') && kw(q, i + 1, 'NOT') && kw(q, i + 2, 'NULL')) add(remove(i + 1, i + 2))
    else if (kw(q, i, 'ISNULL')) add(replace(i, i + 1, styled('NOTNULL', text)))
    else if (kw(q, i, 'NOTNULL')) add(replace(i, i + 1, styled('ISNULL', text)))
  }
  return out
}

export function inList (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (const i of statementIndices(q)) {
    if (!kw(q, i, 'IN') || i === q.statement.from) continue
    const edit = kw(q, i - 1, 'NOT') ? remove(i - 1, i) : insertBefore(i, styled('NOT', q.tokens[i].text))
    out.push({ operator: 'in', edits: [edit] })
  }
  return out
}

/** Indices of calls `name(` to the given function names. */
function calls (q: QueryText, names: string[]): number[] {
  return [...statementIndices(q)].filter(i => q.tokens[i].type === 'identifier' && names.includes(asciiUpper(q.tokens[i].text)) &&
    punct(q, i + 1, '(') && !punct(q, i - 1, '.'))
}

function swapFunctions (q: QueryText, operator: MutationOperator, a: string, b: string): Candidate[] {
  return calls(q, [a, b]).map(i => {
    const text = q.tokens[i].text
    return { operator, edits: [replace(i, i + 1, styled(asciiUpper(text) === a ? b : a, text))] }
  })
}

export const sumAvg = (q: QueryText) => swapFunctions(q, 'sum-avg', 'SUM', 'AVG')
export const minMax = (q: QueryText) => swapFunctions(q, 'min-max', 'MIN', 'MAX')

const isName = (q: QueryText, i: number) => q.tokens[i]?.type === 'identifier' || q.tokens[i]?.type === 'quoted'

/** Names given to the SELECT list's columns (after AS, or right after an expression). */
function aliases (q: QueryText, core: SelectCore): Set<string> {
  const out = new Set<string>()
  for (let i = core.list.from; i < core.list.to; i++) {
    const ends = i + 1 === core.list.to || punct(q, i + 1, ',')
    if (isName(q, i) && (kw(q, i - 1, 'AS') || (ends && (isName(q, i - 1) || punct(q, i - 1, ')'))))) out.add(q.tokens[i].text)
  }
  return out
}

const NOT_COLUMNS = new Set(['TRUE', 'FALSE'])

/**
 * Columns a COUNT(*) could have counted instead: the first two its SELECT
 * refers to, WHERE and ON first. GROUP BY terms are left out: counting one
 * of them is no mistake a student makes (its distinct count is 1).
 */
function countableColumns (q: QueryText, at: number): string[] {
  const core = coreAt(q, at)
  if (core === undefined) return []
  const sources: Range[] = [core.where?.body, ...core.joins.map(j => j.on), core.list, core.having?.body]
    .filter((r): r is Range => r !== undefined && r !== null)
  const named = aliases(q, core)
  const grouped = new Set<string>()
  if (core.groupBy !== null) {
    for (const term of splitAt(q, core.groupBy.body, i => punct(q, i, ','))) grouped.add(q.tokens.slice(term.from, term.to).map(t => t.text).join(''))
  }
  const found: string[] = []
  for (const range of sources) {
    for (let i = range.from; i < range.to; i++) {
      if (punct(q, i, '(') && (kw(q, i + 1, 'SELECT') || kw(q, i + 1, 'WITH') || kw(q, i + 1, 'VALUES'))) {
        i = q.close[i] // not the columns of a subquery
        continue
      }
      if (!isName(q, i) || punct(q, i - 1, '.') || punct(q, i + 1, '(')) continue
      let text: string
      if (punct(q, i + 1, '.') && isName(q, i + 2) && !punct(q, i + 3, '(')) {
        text = `${q.tokens[i].text}.${q.tokens[i + 2].text}`
        i += 2
      } else {
        const before = q.tokens[i - 1]
        const standsAlone = before !== undefined && (before.type === 'operator' || punct(q, i - 1, '(') || punct(q, i - 1, ',') ||
          (before.type === 'keyword' && !kw(q, i - 1, 'AS')))
        if (punct(q, i + 1, '.') || !standsAlone || named.has(q.tokens[i].text) || NOT_COLUMNS.has(asciiUpper(q.tokens[i].text))) continue
        text = q.tokens[i].text
      }
      if (!found.includes(text) && !grouped.has(text)) found.push(text)
      if (found.length === 2) return found
    }
  }
  return found
}

export function count (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  const add = (edit: Edit) => out.push({ operator: 'count', edits: [edit] })
  for (const i of calls(q, ['COUNT'])) {
    const inner = { from: i + 2, to: q.close[i + 1] }
    if (inner.to <= inner.from || levelIndices(q, inner).some(j => punct(q, j, ','))) continue
    const distinct = styled('DISTINCT', q.tokens[i].text)
    if (inner.to - inner.from === 1 && q.tokens[inner.from].text === '*') {
      for (const column of countableColumns(q, i)) {
        add(replace(inner.from, inner.to, column))
        add(replace(inner.from, inner.to, `${distinct} ${column}`))
      }
    } else if (kw(q, inner.from, 'DISTINCT')) {
      if (inner.to - inner.from < 2) continue
      add(remove(inner.from, inner.from + 1))
      add(replace(inner.from, inner.to, '*'))
    } else if (!kw(q, inner.from, 'ALL')) {
      add(replace(inner.from, inner.to, '*'))
      add(insertBefore(inner.from, distinct))
    }
  }
  return out
}

/** `text` (a number literal, negated when `negative`) plus `delta`, as a literal of the same kind; null when unreadable. */
export function shiftNumber (text: string, negative: boolean, delta: 1 | -1): string | null {
  const digits = text.replaceAll('_', '')
  const sign = negative ? -1n : 1n
  if (/^0x[0-9a-f]+$/i.test(digits) || /^\d+$/.test(digits)) return String(sign * BigInt(digits) + BigInt(delta))
  const decimal = /^(\d*)\.(\d*)$/.exec(digits)
  if (decimal !== null && (decimal[1] + decimal[2]).length > 0) {
    const scale = Math.max(decimal[2].length, 1)
    const unit = 10n ** BigInt(scale)
    const value = sign * BigInt((decimal[1] || '0') + decimal[2].padEnd(scale, '0')) + BigInt(delta) * unit
    const magnitude = value < 0n ? -value : value
    return `${value < 0n ? '-' : ''}${magnitude / unit}.${String(magnitude % unit).padStart(scale, '0')}`
  }
  if (/^(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(digits)) {
    const value = Number(digits) * Number(sign)
    const shifted = value + delta
    if (!Number.isFinite(shifted) || shifted === value) return null
    return Number.isInteger(shifted) && Math.abs(shifted) < 1e15 ? shifted.toFixed(1) : String(shifted)
  }
  return null
}

// Keywords after which a '-' is a sign, not a subtraction, are all but these.
const ENDS_EXPRESSION = ['END', 'NULL', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP']

function isUnaryMinus (q: QueryText, i: number): boolean {
  if (q.tokens[i]?.type !== 'operator' || q.tokens[i].text !== '-') return false
  const before = q.tokens[i - 1]
  if (i === q.statement.from || before === undefined) return true
  if (before.type === 'keyword') return !ENDS_EXPRESSION.some(word => kw(q, i - 1, word))
  return before.type === 'operator' || punct(q, i - 1, '(') || punct(q, i - 1, ',')
}

export function constant (q: QueryText): Candidate[] {
  const ranges: Range[] = []
  for (const core of q.scopes.flatMap(s => s.cores)) {
    if (core.where !== null) ranges.push(core.where.body)
    if (core.having !== null) ranges.push(core.having.body)
    for (const join of core.joins) if (join.on !== null) ranges.push(join.on)
  }
  const out: Candidate[] = []
  for (const i of statementIndices(q)) {
    if (q.tokens[i].type !== 'number' || !ranges.some(r => i >= r.from && i < r.to)) continue
    const negative = isUnaryMinus(q, i - 1)
    const first = negative ? i - 1 : i
    const compared = isComparison(q, first - 1) || isComparison(q, i + 1) || kw(q, first - 1, 'BETWEEN') || q.betweenAnds.has(first - 1)
    if (!compared) continue
    for (const delta of [1, -1] as const) {
      const text = shiftNumber(q.tokens[i].text, negative, delta)
      if (text !== null) out.push({ operator: 'constant', edits: [replace(first, i + 1, text)] })
    }
  }
  return out
}
