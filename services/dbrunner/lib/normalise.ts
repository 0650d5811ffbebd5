// A small SQLite tokenizer and the query normalisation built on it.
//
// The tokenizer follows SQLite's own lexical rules closely enough that a
// string, quoted identifier or comment is recognised exactly where SQLite
// would recognise it; everything that relies on it (cache keys, the sandbox's
// statement checks, ORDER BY detection) depends on that. Like SQLite, it folds
// case for ASCII letters only: JavaScript's toUpperCase() would read "ſelect"
// as SELECT and "ıs" as IS, which SQLite reads as names.

export type TokenType =
  | 'keyword' // an unquoted word in SQLite's keyword list
  | 'identifier' // any other unquoted word
  | 'quoted' // "x", `x` or [x]
  | 'string' // 'x'
  | 'blob' // x'AB'
  | 'number'
  | 'parameter' // ?, ?1, :name, @name, $name
  | 'operator'
  | 'punct' // ( ) , ; .
  | 'space'
  | 'comment'
  | 'other' // anything SQLite would reject, kept verbatim

export interface Token {
  type: TokenType
  text: string
  /** offset of the token in the source text */
  start: number
}

// SQLite's keyword list (sqlite3_keyword_name), as of 3.4x.
export const SQL_KEYWORDS: ReadonlySet<string> = new Set(`
  ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT
  BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT
  CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP
  DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH
  ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST
  FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE
  IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS
  ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING
  NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN
  PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX
  RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT
  SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED
  UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH
  WITHOUT
`.trim().split(/\s+/))

const THREE_CHAR_OPERATORS = ['->>']
const TWO_CHAR_OPERATORS = ['||', '->', '<=', '>=', '<>', '<<', '>>', '==', '!=']
const ONE_CHAR_OPERATORS = '+-*/%&|~<>=!'
const PUNCT = '(),;.'

function isSpace (c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f'
}

// sqlite3Isspace(): also the vertical tab, which SQLite accepts inside a run
// of white space and in "$x(...)" ends the name, but not as a token's start.
function isCtypeSpace (c: string): boolean {
  return isSpace(c) || c === '\v'
}

/** Upper case of the ASCII letters only, as SQLite folds keywords and names. */
export function asciiUpper (text: string): string {
  return text.replace(/[a-z]+/g, letters => letters.toUpperCase())
}

/** Lower case of the ASCII letters only. */
export function asciiLower (text: string): string {
  return text.replace(/[A-Z]+/g, letters => letters.toLowerCase())
}

function isDigit (c: string): boolean {
  return c >= '0' && c <= '9'
}

function isHexDigit (c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// SQLite treats every non-ASCII character as part of an identifier.
function isIdStart (c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c.charCodeAt(0) >= 0x80
}

function isIdChar (c: string): boolean {
  return isIdStart(c) || isDigit(c) || c === '$'
}

/** Index just past a quoted run that starts at `i` (on the opening quote); doubled closers are escapes. */
function skipQuoted (sql: string, i: number, close: string, doubledEscapes: boolean): number {
  let j = i + 1
  while (j < sql.length) {
    if (sql[j] === close) {
      if (doubledEscapes && sql[j + 1] === close) {
        j += 2
        continue
      }
      return j + 1
    }
    j++
  }
  return -1 // unterminated
}

function readNumber (sql: string, i: number): number {
  let j = i
  if (sql[j] === '0' && (sql[j + 1] === 'x' || sql[j + 1] === 'X') && isHexDigit(sql[j + 2] ?? '')) {
    j += 2
    while (j < sql.length && (isHexDigit(sql[j]) || sql[j] === '_')) j++
  } else {
    while (j < sql.length && (isDigit(sql[j]) || sql[j] === '_')) j++
    if (sql[j] === '.') {
      j++
      while (j < sql.length && (isDigit(sql[j]) || sql[j] === '_')) j++
    }
    if ((sql[j] === 'e' || sql[j] === 'E') &&
      (isDigit(sql[j + 1] ?? '') || ((sql[j + 1] === '+' || sql[j + 1] === '-') && isDigit(sql[j + 2] ?? '')))) {
      j += 2
      while (j < sql.length && isDigit(sql[j])) j++
    }
  }
  // SQLite rejects "12abc" as one unrecognised token; keep it in one piece too.
  while (j < sql.length && isIdChar(sql[j])) j++
  return j
}

/**
 * Splits SQL into tokens. Whitespace and comments are dropped unless
 * `keepTrivia` is set. Never throws: unterminated strings, identifiers and
 * unknown characters become tokens that keep their text.
 */
export function tokenize (sql: string, options: { keepTrivia?: boolean } = {}): Token[] {
  const tokens: Token[] = []
  const keep = options.keepTrivia === true
  let i = 0
  const push = (type: TokenType, end: number) => {
    if (keep || (type !== 'space' && type !== 'comment')) tokens.push({ type, text: sql.slice(i, end), start: i })
    i = end
  }

  while (i < sql.length) {
    const c = sql[i]
    const next = sql[i + 1] ?? ''

    if (isSpace(c)) {
      let j = i + 1
      while (j < sql.length && isCtypeSpace(sql[j])) j++
      push('space', j)
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i + 2)
      push('comment', nl === -1 ? sql.length : nl)
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2)
      push('comment', close === -1 ? sql.length : close + 2)
    } else if (c === '\'') {
      const end = skipQuoted(sql, i, '\'', true)
      push(end === -1 ? 'other' : 'string', end === -1 ? sql.length : end)
    } else if (c === '"' || c === '`') {
      const end = skipQuoted(sql, i, c, true)
      push(end === -1 ? 'other' : 'quoted', end === -1 ? sql.length : end)
    } else if (c === '[') {
      const end = skipQuoted(sql, i, ']', false)
      push(end === -1 ? 'other' : 'quoted', end === -1 ? sql.length : end)
    } else if ((c === 'x' || c === 'X') && next === '\'') {
      const end = skipQuoted(sql, i + 1, '\'', false)
      push(end === -1 ? 'other' : 'blob', end === -1 ? sql.length : end)
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      push('number', readNumber(sql, i))
    } else if (c === '?') {
      let j = i + 1
      while (j < sql.length && isDigit(sql[j])) j++
      push('parameter', j)
    } else if (c === ':' || c === '@' || c === '$' || c === '#') {
      // SQLite's own rule for named variables, TCL forms included: after a
      // name, "(...)" runs to the first ')' or white space and "::" goes on.
      // Reading them any other way would let a quote inside "$x(')" hide the
      // statements after it from the sandbox's checks.
      let j = i + 1
      let named = 0
      while (j < sql.length) {
        const d = sql[j]
        if (isIdChar(d)) {
          named++
          j++
        } else if (d === '(' && named > 0) {
          j++
          while (j < sql.length && !isCtypeSpace(sql[j]) && sql[j] !== ')') j++
          if (sql[j] === ')') j++
          break
        } else if (d === ':' && sql[j + 1] === ':') {
          j += 2
        } else {
          break
        }
      }
      push(named > 0 ? 'parameter' : 'other', Math.max(j, i + 1))
    } else if (isIdStart(c)) {
      let j = i + 1
      while (j < sql.length && isIdChar(sql[j])) j++
      const word = sql.slice(i, j)
      push(SQL_KEYWORDS.has(asciiUpper(word)) ? 'keyword' : 'identifier', j)
    } else if (THREE_CHAR_OPERATORS.includes(sql.slice(i, i + 3))) {
      push('operator', i + 3)
    } else if (TWO_CHAR_OPERATORS.includes(sql.slice(i, i + 2))) {
      push('operator', i + 2)
    } else if (ONE_CHAR_OPERATORS.includes(c)) {
      push('operator', i + 1)
    } else if (PUNCT.includes(c)) {
      push('punct', i + 1)
    } else {
      // one whole code point, so surrogate pairs are not split
      push('other', i + (c.codePointAt(0)! > 0xffff ? 2 : 1))
    }
  }
  return tokens
}

/** True when `token` is the keyword `word` (given in upper case). */
export function isKeyword (token: Token | undefined, word: string): boolean {
  return token !== undefined && token.type === 'keyword' && asciiUpper(token.text) === word
}

function isPunct (token: Token | undefined, char: string): boolean {
  return token !== undefined && token.type === 'punct' && token.text === char
}

/**
 * Groups significant tokens (no trivia) into statements, the way SQLite
 * would run them: split on `;` at parenthesis depth 0, except inside the
 * BEGIN ... END body of CREATE TRIGGER. Empty statements are dropped and
 * separators are not included.
 */
export function splitStatements (tokens: Token[]): Token[][] {
  const statements: Token[][] = []
  let current: Token[] = []
  let depth = 0
  let trigger = false // statement is CREATE [TEMP] TRIGGER
  let inBody = false // inside its BEGIN ... END
  let caseDepth = 0

  for (const token of tokens) {
    if (token.type === 'space' || token.type === 'comment') continue
    if (isPunct(token, ';') && depth === 0 && !inBody) {
      if (current.length > 0) statements.push(current)
      current = []
      trigger = false
      caseDepth = 0
      continue
    }
    current.push(token)
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth = Math.max(0, depth - 1)
    else if (current.length <= 3 && isKeyword(token, 'TRIGGER') && isKeyword(current[0], 'CREATE')) trigger = true
    else if (trigger && !inBody && isKeyword(token, 'BEGIN')) inBody = true
    else if (inBody && isKeyword(token, 'CASE')) caseDepth++
    else if (inBody && isKeyword(token, 'END')) {
      if (caseDepth > 0) caseDepth--
      else inBody = false
    }
  }
  if (current.length > 0) statements.push(current)
  return statements
}

function isNameLike (token: Token): boolean {
  return token.type === 'identifier' || token.type === 'keyword' || token.type === 'quoted'
}

// Spaces are only dropped where the two neighbours can never merge into a
// different token, so the output tokenizes exactly like the input.
function needsSpace (prev: Token, next: Token): boolean {
  if (next.type === 'punct' && (next.text === ')' || next.text === ',' || next.text === ';')) return false
  if (isPunct(prev, '(')) return false
  if (isPunct(next, '(') && isNameLike(prev)) return false
  if (isPunct(next, '.') && isNameLike(prev)) return false
  if (isPunct(prev, '.') && (isNameLike(next) || (next.type === 'operator' && next.text === '*'))) return false
  return true
}

function render (tokens: Token[]): string {
  let out = ''
  let prev: Token | undefined
  for (const token of tokens) {
    const text = token.type === 'keyword' ? asciiUpper(token.text) : token.text
    out += prev !== undefined && needsSpace(prev, token) ? ' ' + text : text
    prev = token
  }
  return out
}

/**
 * Canonical text of a query for cache keys: comments dropped, whitespace
 * reduced to single spaces where a space is needed, keywords upper-cased
 * (ASCII letters only, as SQLite reads them),
 * empty statements and trailing semicolons removed. Literals, quoted
 * identifiers, numbers and unquoted identifiers keep their exact text, so two
 * queries only normalise alike when SQLite would read them alike.
 */
export function normaliseQuery (sql: string): string {
  return splitStatements(tokenize(sql)).map(render).join('; ')
}
