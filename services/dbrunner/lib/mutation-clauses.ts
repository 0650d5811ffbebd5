// The mutation operators that act on a SELECT's clauses: joins, WHERE and
// HAVING terms, DISTINCT, GROUP BY, ORDER BY, LIMIT and UNION, in the
// statement and in every subquery. Mutants that cannot change any result
// (DISTINCT inside EXISTS, the order of a subquery without LIMIT, ...) are
// not offered: they would only ever survive.

import { asciiUpper } from './normalise.ts'
import { kw, levelIndices, levelOf, punct, scopeAtLevel, splitAt } from './mutation-syntax.ts'
import type { Clause, JoinKind, QueryText, Range, SelectCore } from './mutation-syntax.ts'
import { effectiveKinds } from './mutation-joins.ts'
import { styled } from './mutation-render.ts'
import type { Edit } from './mutation-render.ts'
import type { Candidate, MutationOperator } from './mutation-operators.ts'

const cores = (q: QueryText) => q.scopes.flatMap(scope => scope.cores.map(core => ({ scope, core })))
const remove = (from: number, to: number): Edit => ({ from, to, text: '' })

const JOIN_TEXT: Record<JoinKind, string> = { INNER: 'JOIN', LEFT: 'LEFT JOIN', RIGHT: 'RIGHT JOIN', FULL: 'FULL JOIN', CROSS: 'CROSS JOIN' }
const JOIN_KINDS: JoinKind[] = ['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS']

export function joinType (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (const { core } of cores(q)) {
    for (const [j, join] of core.joins.entries()) {
      const sample = q.tokens[join.keywords.to - 1].text
      const effective = effectiveKinds(q, core, j) ?? ((kind: JoinKind) => kind)
      const seen = new Set([effective(join.kind)])
      for (const target of JOIN_KINDS) {
        // CROSS JOIN is INNER JOIN with or without ON; a cross join forgets its condition.
        if (target === 'INNER' && join.kind === 'CROSS') continue
        if (target === 'CROSS' && join.kind === 'INNER' && join.constraint === null && !join.natural) continue
        // Padding that WHERE throws away again: the answer itself, or a mutant already made.
        if (target !== 'CROSS' && seen.has(effective(target))) continue
        seen.add(effective(target))
        const natural = join.natural && target !== 'CROSS' ? 'NATURAL ' : ''
        const edits = [{ ...join.keywords, text: styled(natural + JOIN_TEXT[target], sample) }]
        if (target === 'CROSS' && join.constraint !== null) edits.push({ ...join.constraint, text: '' })
        out.push({ operator: 'join-type', edits })
      }
    }
  }
  return out
}

/** Each item of a list dropped with one separator next to it; the whole clause when it has one item. */
function dropItems (operator: MutationOperator, clause: Clause, items: Range[]): Candidate[] {
  if (items.length <= 1) return [{ operator, edits: [remove(clause.keyword, clause.body.to)] }]
  return items.map((item, k) => ({
    operator,
    edits: [k < items.length - 1 ? remove(item.from, items[k + 1].from) : remove(items[k - 1].to, item.to)]
  }))
}

function dropConjuncts (q: QueryText, operator: MutationOperator, clause: Clause | null): Candidate[] {
  if (clause === null) return []
  // AND binds tighter than OR: with an OR at the top, the whole condition is one term.
  const terms = levelIndices(q, clause.body).some(i => kw(q, i, 'OR'))
    ? [clause.body]
    : splitAt(q, clause.body, i => kw(q, i, 'AND') && !q.betweenAnds.has(i))
  return dropItems(operator, clause, terms)
}

export const whereConjunct = (q: QueryText) => cores(q).flatMap(({ core }) => dropConjuncts(q, 'where-conjunct', core.where))
export const havingConjunct = (q: QueryText) => cores(q).flatMap(({ core }) => dropConjuncts(q, 'having-conjunct', core.having))

const AGGREGATES = ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'TOTAL', 'GROUP_CONCAT', 'STRING_AGG']

/** True when the SELECT list calls an aggregate (not a window function): without GROUP BY, one row. */
function aggregates (q: QueryText, list: Range): boolean {
  for (const i of outsideSubqueries(q, list)) {
    if (q.tokens[i].type !== 'identifier' || !AGGREGATES.includes(asciiUpper(q.tokens[i].text)) || !punct(q, i + 1, '(')) continue
    const close = q.close[i + 1]
    const inner = { from: i + 2, to: close }
    // min(a, b) and max(a, b) are scalar functions.
    if (['MIN', 'MAX'].includes(asciiUpper(q.tokens[i].text)) && levelIndices(q, inner).some(j => punct(q, j, ','))) continue
    let after = close + 1
    if (kw(q, after, 'FILTER') && punct(q, after + 1, '(')) after = q.close[after + 1] + 1
    if (!kw(q, after, 'OVER')) return true
  }
  return false
}

/** Every index of the range except those inside subqueries. */
function outsideSubqueries (q: QueryText, range: Range): number[] {
  const out: number[] = []
  for (let i = range.from; i < range.to; i++) {
    if (punct(q, i, '(') && (kw(q, i + 1, 'SELECT') || kw(q, i + 1, 'WITH') || kw(q, i + 1, 'VALUES'))) i = q.close[i]
    else out.push(i)
  }
  return out
}

const textOf = (q: QueryText, range: Range) => q.tokens.slice(range.from, range.to).map(t => t.type === 'keyword' ? asciiUpper(t.text) : t.text).join(' ')
const isName = (q: QueryText, i: number) => q.tokens[i]?.type === 'identifier' || q.tokens[i]?.type === 'quoted'

/** A SELECT list item without its alias. */
function withoutAlias (q: QueryText, item: Range): Range {
  const words = levelIndices(q, item)
  const last = words.at(-1)
  if (last === undefined || words.length < 2 || !isName(q, last)) return item
  const before = words.at(-2)!
  if (kw(q, before, 'AS')) return { from: item.from, to: before }
  const ends = q.tokens[before].type
  if (isName(q, before) || punct(q, before, ')') || ends === 'number' || ends === 'string') return { from: item.from, to: last }
  return item
}

/** The rows are distinct already: one row in all, or one per group with every GROUP BY term selected. */
function alreadyDistinct (q: QueryText, core: SelectCore): boolean {
  if (core.groupBy === null) return aggregates(q, core.list)
  const selected = splitAt(q, core.list, i => punct(q, i, ',')).map(item => textOf(q, withoutAlias(q, item)))
  return splitAt(q, core.groupBy.body, i => punct(q, i, ',')).every(term => selected.includes(textOf(q, term)))
}

export function distinct (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (const { scope, core } of cores(q)) {
    if (scope.context === 'exists' || scope.context === 'in' || core.deduplicated || alreadyDistinct(q, core)) continue
    const sample = q.tokens[core.select].text
    const quantifier = core.quantifier
    const edit: Edit = quantifier === null
      ? { from: core.select + 1, to: core.select + 1, text: styled('DISTINCT', sample) }
      : kw(q, quantifier, 'DISTINCT') ? remove(quantifier, quantifier + 1) : { from: quantifier, to: quantifier + 1, text: styled('DISTINCT', sample) }
    out.push({ operator: 'distinct', edits: [edit] })
  }
  return out
}

export function groupBy (q: QueryText): Candidate[] {
  return cores(q).flatMap(({ core }) => core.groupBy === null
    ? []
    : dropItems('group-by', core.groupBy, splitAt(q, core.groupBy.body, i => punct(q, i, ','))))
}

const ORDER_ENDS = ['LIMIT', 'ROWS', 'RANGE', 'GROUPS']

export function orderDirection (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (let i = q.statement.from; i < q.statement.to; i++) {
    if (!kw(q, i, 'ORDER') || !kw(q, i + 1, 'BY')) continue
    const level = levelOf(q, i)
    const after = levelIndices(q, level).filter(j => j > i + 1)
    const end = after.find(j => ORDER_ENDS.some(word => kw(q, j, word))) ?? level.to
    // Only a query's outermost order reaches the result, or one that LIMIT cuts.
    const scope = scopeAtLevel(q, level)
    if (scope !== undefined && scope.context !== 'top' && !after.some(j => kw(q, j, 'LIMIT'))) continue
    const sample = q.tokens[i].text
    for (const item of splitAt(q, { from: i + 2, to: end }, j => punct(q, j, ','))) {
      const words = levelIndices(q, item)
      const direction = words.find(j => kw(q, j, 'ASC') || kw(q, j, 'DESC'))
      let edit: Edit
      if (direction !== undefined && kw(q, direction, 'DESC')) edit = remove(direction, direction + 1)
      else if (direction !== undefined) edit = { from: direction, to: direction + 1, text: styled('DESC', sample) }
      else {
        const at = words.find(j => kw(q, j, 'NULLS')) ?? item.to
        edit = { from: at, to: at, text: styled('DESC', sample) }
      }
      out.push({ operator: 'order-direction', edits: [edit] })
    }
  }
  return out
}

export function limit (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (const scope of q.scopes) {
    if (scope.limit === null) continue
    const words = levelIndices(q, scope.limit.body)
    // LIMIT n [OFFSET m], or LIMIT m, n
    const at = punct(q, words[1], ',') ? 2 : 0
    const count = words[at]
    const rest = words[at + 1]
    if (count === undefined || (rest !== undefined && !(at === 0 && kw(q, rest, 'OFFSET')))) continue
    const digits = q.tokens[count].type === 'number' ? q.tokens[count].text.replaceAll('_', '') : ''
    if (!/^(\d+|0x[0-9a-f]+)$/i.test(digits)) continue
    for (const delta of [1n, -1n]) {
      const value = BigInt(digits) + delta
      if (value >= 0n) out.push({ operator: 'limit', edits: [{ from: count, to: count + 1, text: String(value) }] })
    }
  }
  return out
}

export function union (q: QueryText): Candidate[] {
  const out: Candidate[] = []
  for (const scope of q.scopes) {
    if (scope.context === 'exists' || scope.context === 'in') continue
    for (const [k, c] of scope.compounds.entries()) {
      // A later UNION, INTERSECT or EXCEPT removes the duplicates again.
      if (!kw(q, c, 'UNION') || scope.compounds.slice(k + 1).some(later => !kw(q, later + 1, 'ALL'))) continue
      const edit = kw(q, c + 1, 'ALL') ? remove(c + 1, c + 2) : { from: c + 1, to: c + 1, text: styled('ALL', q.tokens[c].text) }
      out.push({ operator: 'union', edits: [edit] })
    }
  }
  return out
}
