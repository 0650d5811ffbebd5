// Mutants of a reference answer, for measuring how well a question's data
// tells right from wrong: each mutant is the answer with one plausible
// mistake (a join type, a comparison, a dropped condition, ...), written in
// the answer's own text so a teacher can read it. Only the statement that
// gives the result is mutated, at any depth; earlier statements are kept.

import { isKeyword, normaliseQuery, tokenize } from './normalise.ts'
import { readQuery } from './mutation-syntax.ts'
import type { QueryText } from './mutation-syntax.ts'
import { render } from './mutation-render.ts'
import { andOr, comparison, constant, count, inList, minMax, mutationOperators, nullTest, sumAvg } from './mutation-operators.ts'
import type { Candidate, MutationOperator } from './mutation-operators.ts'
import { distinct, groupBy, havingConjunct, joinType, limit, orderDirection, union, whereConjunct } from './mutation-clauses.ts'

export { mutationOperators } from './mutation-operators.ts'
export type { MutationOperator } from './mutation-operators.ts'

export interface Mutant {
  operator: MutationOperator
  query: string
}

export const defaultMaxMutants = 100

const generators: Record<MutationOperator, (q: QueryText) => Candidate[]> = {
  'join-type': joinType,
  comparison,
  'and-or': andOr,
  'where-conjunct': whereConjunct,
  'having-conjunct': havingConjunct,
  distinct,
  count,
  'sum-avg': sumAvg,
  'min-max': minMax,
  'group-by': groupBy,
  'order-direction': orderDirection,
  limit,
  'null-test': nullTest,
  in: inList,
  union,
  constant
}

/** 0 .. n-1 in an order whose every prefix is spread over the whole range (van der Corput). */
function spreadOrder (n: number): number[] {
  let size = 1
  while (size < n) size *= 2
  const order: number[] = []
  const taken = new Uint8Array(n)
  for (let t = 0; t < size; t++) {
    let reversed = 0
    for (let bit = 1, rest = t; bit < size; bit *= 2, rest = Math.floor(rest / 2)) reversed = reversed * 2 + (rest % 2)
    const index = Math.floor((reversed / size) * n)
    if (taken[index] === 0) {
      taken[index] = 1
      order.push(index)
    }
  }
  return order
}

/** How many of `max` each operator gets when they take turns: every one that applies, then more to those that have more. */
function shares (counts: number[], max: number): number[] {
  const share = counts.map(() => 0)
  let left = max
  while (left > 0 && counts.some((count, n) => share[n] < count)) {
    for (const [n, count] of counts.entries()) {
      if (left > 0 && share[n] < count) {
        share[n]++
        left--
      }
    }
  }
  return share
}

/** Candidate order for one operator: `k` evenly spaced over the text first, then the rest, spread out too. */
function pickOrder (n: number, k: number): number[] {
  const first = Array.from({ length: Math.min(k, n) }, (_, j) => Math.floor(((j + 0.5) * n) / k))
  const chosen = new Set(first)
  return [...first, ...spreadOrder(n).filter(index => !chosen.has(index))]
}

// The sandbox refuses these; a mutant of an answer using them would carry them too.
function usesRefused (answer: string): boolean {
  return tokenize(answer).some(t => t.type === 'parameter' || ['ATTACH', 'DETACH', 'PRAGMA'].some(word => isKeyword(t, word)))
}

function candidatesOf (q: QueryText, operator: MutationOperator): Candidate[] {
  try {
    return generators[operator](q)
  } catch {
    return [] // an operator that cannot read this text offers nothing
  }
}

/**
 * At most `max` (default 100) distinct mutants of `answer`, none the same
 * query as the answer, listed by operator (catalogue order) then by place in
 * the text. When there are more, operators take turns, so each one that
 * applies is represented, and each takes its mutants evenly spread over the
 * text; a candidate that is no new query gives its turn to the next one.
 * Never throws; text it cannot read gives fewer mutants, possibly none.
 */
export function mutants (answer: string, options: { max?: number } = {}): Mutant[] {
  const requested = options?.max
  const max = typeof requested === 'number' && !Number.isNaN(requested) ? Math.max(0, Math.floor(requested)) : defaultMaxMutants
  try {
    if (typeof answer !== 'string' || max === 0 || usesRefused(answer)) return []
    const q = readQuery(answer)
    const found = mutationOperators.map(operator => candidatesOf(q, operator))
    const share = shares(found.map(candidates => candidates.length), max)
    const pools = mutationOperators.map((operator, rank) => {
      const candidates = found[rank]
      return { operator, rank, candidates, order: pickOrder(candidates.length, share[rank]), next: 0 }
    })
    const seen = new Set([normaliseQuery(answer)])
    const chosen: Array<{ rank: number, index: number, mutant: Mutant }> = []
    let progressed = true
    while (progressed && chosen.length < max) {
      progressed = false
      for (const pool of pools) {
        if (chosen.length >= max) break
        while (pool.next < pool.order.length) {
          const index = pool.order[pool.next++]
          const query = render(q, pool.candidates[index].edits)
          if (query === null) continue
          const key = normaliseQuery(query)
          if (seen.has(key)) continue
          seen.add(key)
          chosen.push({ rank: pool.rank, index, mutant: { operator: pool.operator, query } })
          progressed = true
          break
        }
      }
    }
    return chosen.sort((a, b) => a.rank - b.rank || a.index - b.index).map(c => c.mutant)
  } catch {
    return []
  }
}
