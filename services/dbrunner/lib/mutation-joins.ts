// Which outer joins are inner joins in disguise. A row that a LEFT, RIGHT or
// FULL join pads with NULLs is thrown away again when WHERE (or the ON of a
// later inner join) has a condition that is never true on a NULL column of
// the padded table: "o.status = 'delivered'" after "orders o RIGHT JOIN
// customers c" makes that join an inner one. A join type mutant that only
// changes what is thrown away anyway is the answer itself, or another
// mutant, and is not offered. Only what is surely NULL-rejecting counts.

import { asciiLower, asciiUpper } from './normalise.ts'
import { kw, levelIndices, punct, splitAt } from './mutation-syntax.ts'
import type { JoinKind, QueryText, Range, SelectCore } from './mutation-syntax.ts'

const nameKey = (q: QueryText, i: number): string => {
  const token = q.tokens[i]
  return asciiLower(token.type === 'quoted' ? token.text.slice(1, -1) : token.text)
}
const isName = (q: QueryText, i: number | undefined) => i !== undefined && (q.tokens[i]?.type === 'identifier' || q.tokens[i]?.type === 'quoted')

/** The name a FROM item is known by: its alias, else its table name; null when unsure. */
function itemName (q: QueryText, item: Range): string | null {
  const words = levelIndices(q, item).filter(i => !kw(q, i, 'AS'))
  const cut = words.findIndex(i => kw(q, i, 'INDEXED') || kw(q, i, 'NOT'))
  const parts = cut < 0 ? words : words.slice(0, cut)
  const last = parts.at(-1)
  if (!isName(q, last)) return null
  if (parts.length === 1 || (parts.length === 3 && punct(q, parts[1], '.'))) return nameKey(q, last!) // table or schema.table
  return parts.length >= 2 ? nameKey(q, last!) : null // source then alias
}

// Functions that give NULL when an argument is NULL; anything else may not.
const STRICT_FUNCTIONS = ['CAST', 'LOWER', 'UPPER', 'LENGTH', 'ABS', 'ROUND', 'SUBSTR', 'SUBSTRING', 'TRIM', 'LTRIM', 'RTRIM',
  'JULIANDAY', 'DATE', 'TIME', 'DATETIME', 'STRFTIME', 'UNIXEPOCH']
const STRICT_OPERATORS = ['=', '==', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||']
const STRICT_WORDS = ['BETWEEN', 'AND', 'IN', 'LIKE', 'GLOB', 'COLLATE', 'ESCAPE', 'CAST', 'AS', 'NOTNULL']

/** Names whose NULL columns make `term` never true; empty when unsure. */
function rejectedBy (q: QueryText, term: Range): Set<string> {
  const names = new Set<string>()
  for (let i = term.from; i < term.to; i++) {
    const token = q.tokens[i]
    if (punct(q, i, '(') && (kw(q, i + 1, 'SELECT') || kw(q, i + 1, 'WITH') || kw(q, i + 1, 'VALUES'))) {
      i = q.close[i] // a subquery's value: NULL in, NULL out, whatever it reads
      continue
    }
    if (token.type === 'keyword') {
      const isNotNull = kw(q, i, 'IS') && kw(q, i + 1, 'NOT') && kw(q, i + 2, 'NULL')
      if (isNotNull) i += 2
      else if (kw(q, i, 'NOT') && ['LIKE', 'GLOB', 'BETWEEN'].some(w => kw(q, i + 1, w))) continue
      else if (!STRICT_WORDS.some(w => kw(q, i, w))) return new Set()
    } else if (token.type === 'operator') {
      if (!STRICT_OPERATORS.includes(token.text)) return new Set()
    } else if (token.type === 'identifier' && punct(q, i + 1, '(')) { // CAST is a keyword, above
      if (!STRICT_FUNCTIONS.includes(asciiUpper(token.text))) return new Set()
    } else if (isName(q, i) && punct(q, i + 1, '.') && isName(q, i + 2) && !punct(q, i - 1, '.')) {
      names.add(nameKey(q, i))
    } else if (token.type === 'other' || token.type === 'parameter') {
      return new Set()
    }
  }
  return names
}

function conjuncts (q: QueryText, body: Range): Range[] {
  if (levelIndices(q, body).some(i => kw(q, i, 'OR'))) return []
  return splitAt(q, body, i => kw(q, i, 'AND') && !q.betweenAnds.has(i))
}

/**
 * For join `j` of `core`: what each join type really does, given the
 * conditions that follow it. null when the FROM clause is not plain enough to tell.
 */
export function effectiveKinds (q: QueryText, core: SelectCore, j: number): ((kind: JoinKind) => JoinKind) | null {
  const from = core.from
  const joins = core.joins
  if (from === null || levelIndices(q, from.body).some(i => punct(q, i, ','))) return null
  // A later RIGHT or FULL join pads again: too much to follow.
  if (joins.slice(j + 1).some(join => join.kind === 'RIGHT' || join.kind === 'FULL')) return null
  const items: Range[] = [{ from: from.body.from, to: joins[0].keywords.from }]
  for (const [n, join] of joins.entries()) items.push({ from: join.keywords.to, to: join.constraint?.from ?? joins[n + 1]?.keywords.from ?? from.body.to })
  const names = items.map(item => itemName(q, item))
  const terms = [
    ...(core.where === null ? [] : conjuncts(q, core.where.body)),
    ...joins.slice(j + 1).filter(join => join.kind === 'INNER' || join.kind === 'CROSS').flatMap(join => join.on === null ? [] : conjuncts(q, join.on))
  ]
  const rejected = new Set(terms.flatMap(term => [...rejectedBy(q, term)]))
  const isRejected = (name: string | null) => name !== null && rejected.has(name)
  const leftRejected = names.slice(0, j + 1).some(isRejected)
  const rightRejected = isRejected(names[j + 1])
  return kind => {
    if (kind === 'CROSS') return kind
    const leftPadded = (kind === 'RIGHT' || kind === 'FULL') && !leftRejected
    const rightPadded = (kind === 'LEFT' || kind === 'FULL') && !rightRejected
    return leftPadded ? (rightPadded ? 'FULL' : 'RIGHT') : (rightPadded ? 'LEFT' : 'INNER')
  }
}
