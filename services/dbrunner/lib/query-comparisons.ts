// What queries compare, read from their tokens: columns next to constants
// (price < 100, status = 'delivered', year BETWEEN 1 AND 3, code IN (...),
// name LIKE 'A%'), columns compared with columns (join conditions), columns
// tested for NULL or compared with a subquery, and every column named at
// all. Datasets are then built with values at and around those constants.
import type { DatabaseSchema, TableSchema } from './database-schema.ts'
import { asciiUpper, isKeyword, tokenize, type Token } from './normalise.ts'

export interface ColumnRef {
  table: string
  column: string
}

export interface QueryComparisons {
  /** constants each column is compared with, as SQL literals ('LIKE:' before a LIKE or GLOB pattern) */
  constants: Map<string, { ref: ColumnRef, literals: Set<string> }>
  /** columns compared with columns */
  pairs: [ColumnRef, ColumnRef][]
  /** columns compared with a subquery or expression, or tested for NULL */
  compared: Map<string, ColumnRef>
  /** every column named */
  named: Map<string, ColumnRef>
}

export const refKey = (ref: ColumnRef): string => `${ref.table}\u0000${ref.column}`

const COMPARISON = new Set(['=', '==', '!=', '<>', '<', '<=', '>', '>='])

const isName = (token: Token | undefined): boolean =>
  token !== undefined && (token.type === 'identifier' || token.type === 'quoted' || token.type === 'keyword')
const isPunct = (token: Token | undefined, text: string): boolean => token?.type === 'punct' && token.text === text

function unquoted (token: Token): string {
  if (token.type !== 'quoted') return token.text
  const close = token.text.at(-1)!
  return token.text.slice(1, -1).replaceAll(close + close, close)
}

/** Aliases (and the names themselves) of the schema's tables in one query. */
function aliasesOf (tokens: Token[], schema: DatabaseSchema): Map<string, TableSchema> {
  const aliases = new Map<string, TableSchema>()
  tokens.forEach((token, i) => {
    if (!isName(token)) return
    const table = schema.tables.find(candidate => candidate.name.toLowerCase() === unquoted(token).toLowerCase())
    if (table === undefined) return
    aliases.set(table.name.toLowerCase(), table)
    const next = isKeyword(tokens[i + 1], 'AS') ? tokens[i + 2] : tokens[i + 1]
    if (next !== undefined && (next.type === 'identifier' || next.type === 'quoted')) aliases.set(unquoted(next).toLowerCase(), table)
  })
  return aliases
}

const hasColumn = (table: TableSchema, name: string): boolean => table.columns.some(column => column.name.toLowerCase() === name.toLowerCase())

/** The columns a name can be: of the table its qualifier names, else of the tables the query reads, else of any table. */
function refsFor (schema: DatabaseSchema, aliases: Map<string, TableSchema>, qualifier: string | null, name: string): ColumnRef[] {
  const qualified = qualifier === null ? undefined : aliases.get(qualifier.toLowerCase())
  const named = [...new Set(aliases.values())].filter(table => hasColumn(table, name))
  const tables = qualified !== undefined && hasColumn(qualified, name)
    ? [qualified]
    : named.length > 0 ? named : schema.tables.filter(table => hasColumn(table, name))
  return tables.map(table => ({ table: table.name, column: table.columns.find(column => column.name.toLowerCase() === name.toLowerCase())!.name }))
}

interface Operand {
  refs?: ColumnRef[]
  literal?: string
  expression?: boolean
}

/** The column reference ending at `end` (name, or qualifier.name). */
function columnBefore (tokens: Token[], end: number, resolve: (q: string | null, n: string) => ColumnRef[]): ColumnRef[] | undefined {
  const name = tokens[end]
  if (!isName(name) || isPunct(tokens[end + 1], '(')) return undefined
  const qualifier = isPunct(tokens[end - 1], '.') && isName(tokens[end - 2]) ? unquoted(tokens[end - 2]) : null
  const refs = resolve(qualifier, unquoted(name))
  return refs.length > 0 ? refs : undefined
}

function literalAt (tokens: Token[], i: number): { literal: string, length: number } | undefined {
  const token = tokens[i]
  if (token === undefined) return undefined
  if (token.type === 'string' || token.type === 'number' || token.type === 'blob') return { literal: token.text, length: 1 }
  if (token.type === 'operator' && (token.text === '-' || token.text === '+') && tokens[i + 1]?.type === 'number') {
    return { literal: (token.text === '-' ? '-' : '') + tokens[i + 1].text, length: 2 }
  }
  if (isKeyword(token, 'NULL')) return { literal: 'NULL', length: 1 }
  if (token.type === 'keyword' && /^(TRUE|FALSE)$/i.test(token.text)) return { literal: asciiUpper(token.text) === 'TRUE' ? '1' : '0', length: 1 }
  return undefined
}

/** The operand starting at `start`: a literal, a column, or something else (subquery, expression). */
function operandAt (tokens: Token[], start: number, resolve: (q: string | null, n: string) => ColumnRef[]): Operand {
  const literal = literalAt(tokens, start)
  if (literal !== undefined) return { literal: literal.literal }
  if (isName(tokens[start]) && isPunct(tokens[start + 1], '.') && isName(tokens[start + 2])) {
    const refs = columnBefore(tokens, start + 2, resolve)
    if (refs !== undefined) return { refs }
  } else if (isName(tokens[start]) && !isPunct(tokens[start + 1], '.')) {
    const refs = columnBefore(tokens, start, resolve)
    if (refs !== undefined) return { refs }
  }
  return { expression: true }
}

/** Reads what the given queries compare, resolving columns against the schema. */
export function readComparisons (schema: DatabaseSchema, queries: string[]): QueryComparisons {
  const out: QueryComparisons = { constants: new Map(), pairs: [], compared: new Map(), named: new Map() }
  const addConstant = (refs: ColumnRef[], literal: string) => {
    for (const ref of refs) {
      const entry = out.constants.get(refKey(ref)) ?? { ref, literals: new Set<string>() }
      entry.literals.add(literal)
      out.constants.set(refKey(ref), entry)
    }
  }
  const addCompared = (refs: ColumnRef[]) => { for (const ref of refs) out.compared.set(refKey(ref), ref) }

  for (const query of queries) {
    const tokens = tokenize(query)
    const aliases = aliasesOf(tokens, schema)
    const resolve = (qualifier: string | null, name: string) => refsFor(schema, aliases, qualifier, name)
    tokens.forEach((token, i) => {
      const refs = columnBefore(tokens, i, resolve)
      if (refs !== undefined && !isPunct(tokens[i + 1], '.')) for (const ref of refs) out.named.set(refKey(ref), ref)

      const isComparison = token.type === 'operator' && COMPARISON.has(token.text)
      const word = token.type === 'keyword' ? asciiUpper(token.text) : ''
      if (word === 'ISNULL' || word === 'NOTNULL') {
        const tested = columnBefore(tokens, i - 1, resolve)
        if (tested !== undefined) addCompared(tested)
        return
      }
      if (!isComparison && !['LIKE', 'GLOB', 'IS', 'BETWEEN', 'IN'].includes(word)) return
      // the left operand, skipping a NOT before LIKE, GLOB, BETWEEN or IN
      const leftEnd = isKeyword(tokens[i - 1], 'NOT') && word !== 'IS' ? i - 2 : i - 1
      const left = columnBefore(tokens, leftEnd, resolve)
      const rightStart = word === 'IS' && isKeyword(tokens[i + 1], 'NOT') ? i + 2 : i + 1

      if (word === 'BETWEEN') {
        const low = literalAt(tokens, rightStart)
        const andAt = low === undefined ? -1 : rightStart + low.length
        const high = isKeyword(tokens[andAt], 'AND') ? literalAt(tokens, andAt + 1) : undefined
        if (left !== undefined) {
          for (const bound of [low, high]) if (bound !== undefined) addConstant(left, bound.literal)
          if (low === undefined || high === undefined) addCompared(left)
        }
        return
      }
      if (word === 'IN') {
        if (left === undefined || !isPunct(tokens[rightStart], '(')) return
        if (isKeyword(tokens[rightStart + 1], 'SELECT') || isKeyword(tokens[rightStart + 1], 'WITH')) return addCompared(left)
        for (let j = rightStart + 1; j < tokens.length && !isPunct(tokens[j], ')'); j++) {
          const literal = literalAt(tokens, j)
          if (literal !== undefined) addConstant(left, literal.literal)
        }
        return
      }
      const right = operandAt(tokens, rightStart, resolve)
      const prefix = word === 'LIKE' || word === 'GLOB' ? `${word}:` : ''
      if (left !== undefined && right.literal !== undefined) {
        if (right.literal === 'NULL') addCompared(left)
        else addConstant(left, prefix + right.literal)
      } else if (left !== undefined && right.refs !== undefined) {
        for (const a of left) for (const b of right.refs) out.pairs.push([a, b])
      } else if (left !== undefined) {
        addCompared(left)
      } else if (right.refs !== undefined && isComparison) {
        const before = literalAt(tokens, i - 1)
        if (before !== undefined) addConstant(right.refs, before.literal)
        else addCompared(right.refs)
      }
    })
  }
  return out
}
