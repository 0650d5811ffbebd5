// A light reading of a query for mutation testing: its tokens with the text
// between them, which tokens open and close groups, and where each SELECT's
// clauses, joins and list items lie, at any depth. It never throws and needs
// no valid SQL: what it cannot place is simply not offered to the operators.

import { asciiUpper, isKeyword, splitStatements, tokenize } from './normalise.ts'
import type { Token } from './normalise.ts'

/** Token indices, `to` excluded. */
export interface Range { from: number, to: number }

/** A clause: its first keyword and its body (after `GROUP BY`, `WHERE`, ...), up to the next clause. */
export interface Clause { keyword: number, body: Range }

export type JoinKind = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS'

export interface Join {
  /** the join keywords, `NATURAL` ... `JOIN` */
  keywords: Range
  kind: JoinKind
  natural: boolean
  /** `ON expr` or `USING (...)`, when present */
  constraint: Range | null
  /** the expression after ON */
  on: Range | null
}

export interface SelectCore {
  range: Range
  select: number
  /** DISTINCT or ALL right after SELECT */
  quantifier: number | null
  list: Range
  from: Clause | null
  joins: Join[]
  where: Clause | null
  groupBy: Clause | null
  having: Clause | null
  /** a later UNION, INTERSECT or EXCEPT removes duplicates anyway */
  deduplicated: boolean
}

/** Where a query sits: the statement itself, a CTE body, EXISTS (...), IN (...), or any other subquery. */
export type ScopeContext = 'top' | 'cte' | 'exists' | 'in' | 'subquery'

export interface QueryScope {
  range: Range
  context: ScopeContext
  cores: SelectCore[]
  /** UNION, INTERSECT, EXCEPT keywords */
  compounds: number[]
  orderBy: Clause | null
  limit: Clause | null
}

export interface QueryText {
  tokens: Token[]
  /** each keyword in upper case, '' for other tokens */
  words: string[]
  /** spaces and comments before each token */
  leads: string[]
  /** spaces and comments after the last token */
  tail: string
  /** the statement that gives the result; empty when there is none */
  statement: Range
  /** for `(` and `CASE`: index of the matching `)` or `END` (statement end when unclosed); -1 otherwise */
  close: number[]
  /** innermost `(` or `CASE` around each token; -1 at the statement's level */
  parent: number[]
  scopes: QueryScope[]
  /** the AND of each BETWEEN ... AND */
  betweenAnds: Set<number>
}

export const kw = (q: QueryText, i: number, word: string): boolean => q.words[i] === word
export const punct = (q: QueryText, i: number, char: string): boolean =>
  q.tokens[i]?.type === 'punct' && q.tokens[i].text === char

const startsQuery = (q: QueryText, i: number): boolean => kw(q, i, 'SELECT') || kw(q, i, 'WITH') || kw(q, i, 'VALUES')

/** Indices at one level of [from, to): a nested group shows as its opener only. */
export function levelIndices (q: QueryText, range: Range): number[] {
  const out: number[] = []
  for (let i = range.from; i < range.to; i++) {
    out.push(i)
    if (q.close[i] >= 0) i = q.close[i]
  }
  return out
}

/** The level a token sits at: inside its innermost group, or the statement. */
export function levelOf (q: QueryText, i: number): Range {
  const p = q.parent[i]
  return p < 0 ? q.statement : { from: p + 1, to: q.close[p] }
}

/** Splits a range at the given level separators (e.g. commas); empty items are kept out. */
export function splitAt (q: QueryText, range: Range, isSeparator: (i: number) => boolean): Range[] {
  const items: Range[] = []
  let from = range.from
  for (const i of levelIndices(q, range)) {
    if (!isSeparator(i)) continue
    if (i > from) items.push({ from, to: i })
    from = i + 1
  }
  if (range.to > from) items.push({ from, to: range.to })
  return items
}

// Like grading's rule: the result comes from the last statement that can return rows.
function returnsRows (statement: Token[]): boolean {
  if (['SELECT', 'VALUES', 'WITH', 'PRAGMA', 'EXPLAIN'].some(word => isKeyword(statement[0], word))) return true
  return statement.some(token => isKeyword(token, 'RETURNING'))
}

function matchGroups (q: QueryText): void {
  const { from, to } = q.statement
  const stack: number[] = []
  for (let i = from; i < to; i++) {
    q.parent[i] = stack.at(-1) ?? -1
    if (punct(q, i, '(') || kw(q, i, 'CASE')) {
      stack.push(i)
    } else if (punct(q, i, ')')) {
      const open = stack.findLastIndex(o => punct(q, o, '('))
      if (open < 0) continue // a stray ')' is left as it is
      q.parent[i] = stack[open]
      // A CASE left open inside the parentheses ends with them.
      for (const o of stack.splice(open)) q.close[o] = i
    } else if (kw(q, i, 'END') && stack.length > 0 && kw(q, stack.at(-1)!, 'CASE')) {
      q.parent[i] = stack.at(-1)!
      q.close[stack.pop()!] = i
    }
  }
  for (const o of stack) q.close[o] = to
}

function findBetweenAnds (q: QueryText): void {
  const levels: Range[] = [q.statement]
  for (let i = q.statement.from; i < q.statement.to; i++) if (q.close[i] >= 0) levels.push({ from: i + 1, to: q.close[i] })
  for (const level of levels) {
    let pending = 0
    for (const i of levelIndices(q, level)) {
      if (kw(q, i, 'BETWEEN')) pending++
      else if (kw(q, i, 'AND') && pending > 0) {
        q.betweenAnds.add(i)
        pending--
      }
    }
  }
}

const JOIN_WORDS = ['NATURAL', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'CROSS', 'OUTER']

function parseJoins (q: QueryText, from: Clause): Join[] {
  const level = levelIndices(q, from.body)
  const joins: Array<Join & { at: number }> = [] // at: position of JOIN in `level`
  for (const [p, i] of level.entries()) {
    if (!kw(q, i, 'JOIN')) continue
    let first = p
    while (first > 0 && level[first - 1] === level[first] - 1 && JOIN_WORDS.some(w => kw(q, level[first - 1], w))) first--
    const words = level.slice(first, p)
    const has = (word: string) => words.some(w => kw(q, w, word))
    const kind: JoinKind = has('LEFT') ? 'LEFT' : has('RIGHT') ? 'RIGHT' : has('FULL') ? 'FULL' : has('CROSS') ? 'CROSS' : 'INNER'
    joins.push({ keywords: { from: level[first], to: i + 1 }, kind, natural: has('NATURAL'), constraint: null, on: null, at: p })
  }
  // A constraint runs from ON / USING to the next join, comma or the clause's end.
  for (const [n, join] of joins.entries()) {
    const end = joins[n + 1]?.keywords.from ?? from.body.to
    let start: number | undefined
    let p = join.at + 1
    for (; p < level.length && level[p] < end && !punct(q, level[p], ','); p++) {
      if (start === undefined && (kw(q, level[p], 'ON') || kw(q, level[p], 'USING'))) start = level[p]
    }
    if (start === undefined) continue
    const stop = p < level.length && level[p] < end ? level[p] : end
    join.constraint = { from: start, to: stop }
    if (kw(q, start, 'ON')) join.on = { from: start + 1, to: stop }
  }
  return joins.map(({ at, ...join }) => join)
}

const CLAUSE_WORDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT']

/** First keyword of each clause at this level, with the index its body starts at. */
function clauseMarks (q: QueryText, level: number[]): Array<{ word: string, keyword: number, body: number }> {
  const marks: Array<{ word: string, keyword: number, body: number }> = []
  for (const i of level) {
    const word = CLAUSE_WORDS.find(w => kw(q, i, w))
    if (word === undefined || marks.some(m => m.word === word)) continue
    if (word === 'GROUP' || word === 'ORDER') {
      if (kw(q, i + 1, 'BY')) marks.push({ word, keyword: i, body: i + 2 })
    } else {
      marks.push({ word, keyword: i, body: i + 1 })
    }
  }
  return marks
}

function parseScope (q: QueryText, range: Range, context: ScopeContext): QueryScope {
  const level = levelIndices(q, range)
  let k = 0
  // WITH ...: the CTE bodies are groups of their own; the query starts at this level's SELECT.
  if (kw(q, level[0], 'WITH')) while (k < level.length && !kw(q, level[k], 'SELECT') && !kw(q, level[k], 'VALUES')) k++
  const scope: QueryScope = { range, context, cores: [], compounds: [], orderBy: null, limit: null }
  const parts: number[][] = [[]]
  for (; k < level.length; k++) {
    const i = level[k]
    if (kw(q, i, 'UNION') || kw(q, i, 'INTERSECT') || kw(q, i, 'EXCEPT')) {
      scope.compounds.push(i)
      parts.push([])
      if (kw(q, level[k + 1], 'ALL')) k++
    } else {
      parts.at(-1)!.push(i)
    }
  }
  // Part p is first combined by compound max(p - 1, 0); any later one that removes duplicates makes its DISTINCT moot.
  const dedupFrom = (p: number) => scope.compounds.slice(Math.max(p - 1, 0)).some(c => !kw(q, c + 1, 'ALL'))
  for (const [p, part] of parts.entries()) {
    if (part.length === 0) continue
    const end = scope.compounds[p] ?? range.to
    const marks = clauseMarks(q, part)
    const clause = (word: string): Clause | null => {
      const m = marks.findIndex(mark => mark.word === word)
      if (m < 0) return null
      return { keyword: marks[m].keyword, body: { from: marks[m].body, to: marks[m + 1]?.keyword ?? end } }
    }
    if (p === parts.length - 1) {
      scope.orderBy = clause('ORDER')
      scope.limit = clause('LIMIT')
    }
    const select = part[0]
    if (!kw(q, select, 'SELECT')) continue
    const quantifier = kw(q, select + 1, 'DISTINCT') || kw(q, select + 1, 'ALL') ? select + 1 : null
    const from = clause('FROM')
    scope.cores.push({
      range: { from: select, to: end },
      select,
      quantifier,
      list: { from: (quantifier ?? select) + 1, to: marks[0]?.keyword ?? end },
      from,
      joins: from ? parseJoins(q, from) : [],
      where: clause('WHERE'),
      groupBy: clause('GROUP'),
      having: clause('HAVING'),
      deduplicated: scope.compounds.length > 0 && dedupFrom(p)
    })
  }
  return scope
}

function contextOf (q: QueryText, open: number): ScopeContext {
  const before = open - 1
  if (kw(q, before, 'EXISTS')) return 'exists'
  if (kw(q, before, 'IN')) return 'in'
  if (kw(q, before, 'AS') || kw(q, before, 'MATERIALIZED')) return 'cte'
  return 'subquery'
}

/** Reads `sql`; the result statement is the last one that can return rows. */
export function readQuery (sql: string): QueryText {
  const all = tokenize(sql, { keepTrivia: true })
  const q: QueryText = {
    tokens: [], words: [], leads: [], tail: '', statement: { from: 0, to: 0 }, close: [], parent: [], scopes: [], betweenAnds: new Set()
  }
  let lead = ''
  const index = new Map<Token, number>()
  for (const token of all) {
    if (token.type === 'space' || token.type === 'comment') {
      lead += token.text
      continue
    }
    index.set(token, q.tokens.length)
    q.tokens.push(token)
    q.words.push(token.type === 'keyword' ? asciiUpper(token.text) : '')
    q.leads.push(lead)
    lead = ''
  }
  q.tail = lead
  q.close = new Array<number>(q.tokens.length).fill(-1)
  q.parent = new Array<number>(q.tokens.length).fill(-1)

  const statement = splitStatements(all).findLast(returnsRows)
  // Only a query is mutated: not EXPLAIN's bytecode, a PRAGMA, or what an INSERT ... RETURNING does.
  if (statement === undefined || !['SELECT', 'WITH', 'VALUES'].some(word => isKeyword(statement[0], word))) return q
  q.statement = { from: index.get(statement[0])!, to: index.get(statement.at(-1)!)! + 1 }
  matchGroups(q)
  findBetweenAnds(q)
  q.scopes.push(parseScope(q, q.statement, 'top'))
  for (let i = q.statement.from; i < q.statement.to; i++) {
    if (punct(q, i, '(') && startsQuery(q, i + 1)) q.scopes.push(parseScope(q, { from: i + 1, to: q.close[i] }, contextOf(q, i)))
  }
  return q
}

/** The innermost query scope and SELECT core around token `i`. */
export function coreAt (q: QueryText, i: number): SelectCore | undefined {
  let found: SelectCore | undefined
  for (const scope of q.scopes) {
    for (const core of scope.cores) {
      if (i >= core.range.from && i < core.range.to && (found === undefined || core.range.from > found.range.from)) found = core
    }
  }
  return found
}

/** The query scope whose own level is `level`, if that level is a query. */
export function scopeAtLevel (q: QueryText, level: Range): QueryScope | undefined {
  return q.scopes.find(s => s.range.from === level.from && s.range.to === level.to)
}
