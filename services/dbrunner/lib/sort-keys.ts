// The sort keys of a reference answer's outer ORDER BY, related to the
// columns of its result, so that grading can let rows that tie on every key
// come in any order. Read from the token stream, the way SQLite reads it.
import { isKeyword, splitStatements, tokenize, asciiLower } from './normalise.ts'
import type { Token } from './normalise.ts'

export interface SortKey {
  /** the result column the key is, or null when it is not one (an expression not selected) */
  column: number | null
  /** the key's text, for messages */
  text: string
  /** a collation that makes texts tie that are not equal */
  collation: 'binary' | 'nocase' | 'rtrim'
}

const isPunct = (token: Token | undefined, char: string) => token !== undefined && token.type === 'punct' && token.text === char

// Statements that can give the run's result: SELECT, VALUES, WITH, and
// anything with RETURNING at depth 0 (as the engine takes the last of them).
function returnsRows (statement: Token[]): boolean {
  if (['SELECT', 'VALUES', 'WITH', 'PRAGMA', 'EXPLAIN'].some(word => isKeyword(statement[0], word))) return true
  return depthZero(statement).some(({ token }) => isKeyword(token, 'RETURNING'))
}

/** The tokens outside any parentheses, with their positions. */
function depthZero (statement: Token[]): { token: Token, index: number }[] {
  const out: { token: Token, index: number }[] = []
  let depth = 0
  statement.forEach((token, index) => {
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth = Math.max(0, depth - 1)
    else if (depth === 0) out.push({ token, index })
  })
  return out
}

/** Splits tokens on commas outside parentheses. */
function splitList (tokens: Token[]): Token[][] {
  const items: Token[][] = [[]]
  let depth = 0
  for (const token of tokens) {
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth = Math.max(0, depth - 1)
    if (depth === 0 && isPunct(token, ',')) items.push([])
    else items.at(-1)!.push(token)
  }
  return items.filter(item => item.length > 0)
}

/** The statement that gives the result: the last one that returns rows, else the last. */
export function resultStatement (sql: string): Token[] | undefined {
  const statements = splitStatements(tokenize(sql))
  return statements.findLast(returnsRows) ?? statements.at(-1)
}

const CLAUSE_ENDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'VALUES']

interface SelectItem { expression: string, alias: string | null, name: string | null }

const text = (tokens: Token[]) => tokens.map(token => token.type === 'keyword' ? token.text.toUpperCase() : token.text).join(' ')

// A quoted name's value: "a""b" -> a"b, [x] -> x, `y` -> y.
function nameOf (token: Token): string {
  if (token.type !== 'quoted') return token.text
  const body = token.text.slice(1, -1)
  return token.text.startsWith('[') ? body : body.replaceAll(token.text[0] + token.text[0], token.text[0])
}

const isName = (token: Token | undefined) => token !== undefined && (token.type === 'identifier' || token.type === 'quoted')

// The first SELECT of the statement at depth 0 names the result's columns.
function selectItems (statement: Token[]): SelectItem[] | null {
  const outer = depthZero(statement)
  const select = outer.findIndex(({ token }) => isKeyword(token, 'SELECT'))
  if (select === -1) return null
  let start = outer[select].index + 1
  if (isKeyword(statement[start], 'DISTINCT') || isKeyword(statement[start], 'ALL')) start++
  const end = outer.find(({ token, index }) => index >= start && CLAUSE_ENDS.some(word => isKeyword(token, word)))?.index ?? statement.length
  return splitList(statement.slice(start, end)).map(item => {
    const last = item.at(-1)
    const before = item.at(-2)
    let alias: string | null = null
    let expression = item
    if (item.length >= 3 && isKeyword(before, 'AS') && last && (isName(last) || last.type === 'string')) {
      alias = last.type === 'string' ? last.text.slice(1, -1) : nameOf(last)
      expression = item.slice(0, -2)
    } else if (item.length >= 2 && isName(last) && before !== undefined && !isPunct(before, '.') && before.type !== 'operator') {
      alias = nameOf(last!)
      expression = item.slice(0, -1)
    }
    const bare = expression.length === 1 && isName(expression[0]) ? nameOf(expression[0]) : expression.length === 3 && isPunct(expression[1], '.') && isName(expression[2]) ? nameOf(expression[2]) : null
    return { expression: text(expression), alias, name: alias ?? bare }
  })
}

// One ORDER BY term: its expression, without COLLATE/ASC/DESC/NULLS.
function keyTerm (item: Token[]): { expression: Token[], collation: SortKey['collation'] } {
  let tokens = item
  let collation: SortKey['collation'] = 'binary'
  if (isKeyword(tokens.at(-2), 'NULLS') && (isKeyword(tokens.at(-1), 'FIRST') || isKeyword(tokens.at(-1), 'LAST'))) tokens = tokens.slice(0, -2)
  if (isKeyword(tokens.at(-1), 'ASC') || isKeyword(tokens.at(-1), 'DESC')) tokens = tokens.slice(0, -1)
  const collate = tokens.findIndex(token => isKeyword(token, 'COLLATE'))
  if (collate !== -1) {
    const name = asciiLower(nameOf(tokens[collate + 1] ?? { type: 'identifier', text: '', start: 0 }))
    if (name === 'nocase' || name === 'rtrim') collation = name
    tokens = tokens.slice(0, collate)
  }
  return { expression: tokens, collation }
}

/**
 * The keys of the outer ORDER BY of the answer's result statement, each
 * related to a column of `header` when it can be (by position, by the same
 * expression as a selected item, by alias, or by a name that only one column
 * has); null when there is no outer ORDER BY.
 */
export function sortKeys (answer: string, header: string[]): SortKey[] | null {
  const statement = resultStatement(answer)
  if (statement === undefined) return null
  const outer = depthZero(statement)
  const order = outer.findLastIndex(({ token }, i) => isKeyword(token, 'ORDER') && isKeyword(outer[i + 1]?.token, 'BY'))
  if (order === -1) return null
  const from = outer[order + 1].index + 1
  const to = outer.find(({ token, index }) => index > from && isKeyword(token, 'LIMIT'))?.index ?? statement.length
  const items = selectItems(statement)
  const lowerHeader = header.map(asciiLower)
  return splitList(statement.slice(from, to)).map(item => {
    const { expression, collation } = keyTerm(item)
    const keyText = text(expression)
    let column: number | null = null
    const only = expression.length === 1 ? expression[0] : undefined
    if (only?.type === 'number' && /^\d+$/.test(only.text)) {
      const position = Number(only.text)
      if (position >= 1 && position <= header.length) column = position - 1
    } else if (items !== null && items.length === header.length && items.some(selected => selected.expression === keyText)) {
      column = items.findIndex(selected => selected.expression === keyText)
    }
    if (column === null) {
      const name = only && isName(only) ? nameOf(only) : expression.length === 3 && isPunct(expression[1], '.') && isName(expression[2]) ? nameOf(expression[2]) : null
      if (name !== null) {
        const aliased = items?.length === header.length ? items.findIndex(selected => selected.alias !== null && asciiLower(selected.alias) === asciiLower(name)) : -1
        const matches = lowerHeader.flatMap((column, index) => column === asciiLower(name) ? [index] : [])
        if (aliased !== -1) column = aliased
        else if (matches.length === 1) column = matches[0]
      }
    }
    return { column, text: keyText, collation }
  })
}
