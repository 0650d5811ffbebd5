// What the sandbox lets SQL do: the statement checks done on the text before
// SQLite sees it, the limits SQLite itself enforces on every connection, and
// how SQLite's limit errors are told to students.
//
// The checks run on the text because some PRAGMAs act while being compiled
// (even under EXPLAIN), so checking prepared statements would be too late.
// They read the text with the same tokenizer as the cache keys, which folds
// case for ASCII letters only, as SQLite does: a word is a keyword to the
// checks exactly when it is one to SQLite.

import { asciiLower, asciiUpper, isKeyword, tokenize } from './normalise.ts'
import type { Token } from './normalise.ts'
import { LimitError, QueryError } from './run-errors.ts'
import type { Limits } from './engine-types.ts'

export type SqlMode = 'query' | 'schema'

// PRAGMAs a query may use: they only read, or change settings of this run's
// own connection. Anything else (heap limits, max_page_count, temp_store,
// journal_mode, mmap_size, writable_schema, ...) is refused. Table-valued
// pragma functions (pragma_table_info(...)) need no check: SQLite only offers
// them for pragmas without side effects and never lets them set a value.
const QUERY_PRAGMAS = new Set([
  'application_id', 'automatic_index', 'case_sensitive_like', 'collation_list',
  'compile_options', 'count_changes', 'data_version', 'database_list',
  'defer_foreign_keys', 'encoding', 'foreign_key_check', 'foreign_key_list',
  'foreign_keys', 'freelist_count', 'full_column_names', 'function_list',
  'ignore_check_constraints', 'index_info', 'index_list', 'index_xinfo',
  'integrity_check', 'legacy_alter_table', 'module_list', 'page_count',
  'page_size', 'pragma_list', 'query_only', 'quick_check', 'recursive_triggers',
  'reverse_unordered_selects', 'short_column_names', 'table_info', 'table_list',
  'table_xinfo', 'user_version'
])

// PRAGMAs refused even in schema SQL: they change engine-wide state shared by
// every later run in the same worker.
const ENGINE_PRAGMAS = new Set([
  'hard_heap_limit', 'soft_heap_limit', 'threads', 'mmap_size',
  'temp_store_directory', 'data_store_directory'
])

function unquote (token: Token): string {
  if (token.type === 'quoted' || token.type === 'string') return token.text.slice(1, -1)
  return token.text
}

/** Throws the error made by `fail` when the SQL uses something the sandbox refuses. */
export function checkStatements (sql: string, mode: SqlMode, fail: (message: string) => Error): void {
  const tokens = tokenize(sql)
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    // Nothing is ever bound, and their odd forms ("$x(...)") are where a
    // checker and SQLite could read the text differently: refused outright.
    if (token.type === 'parameter') {
      throw fail(`parameters such as ${token.text.slice(0, 20)} are not supported: write the values in the query`)
    }
    if (mode === 'query' && (isKeyword(token, 'ATTACH') || isKeyword(token, 'DETACH'))) {
      throw fail(`${asciiUpper(token.text)} is not allowed: each run has exactly one database`)
    }
    if (isKeyword(token, 'VACUUM') && (mode === 'query' || tokens.slice(i + 1, i + 4).some(t => isKeyword(t, 'INTO')))) {
      throw fail('VACUUM is not allowed in the sandbox')
    }
    if (mode === 'schema' && isKeyword(token, 'ATTACH')) {
      throw fail('ATTACH is not allowed in schema SQL')
    }
    if (isKeyword(token, 'PRAGMA')) {
      // PRAGMA [schema.]name; SQLite looks names up ASCII-case-insensitively.
      let name = tokens[i + 1]
      if (name !== undefined && tokens[i + 2]?.type === 'punct' && tokens[i + 2].text === '.') name = tokens[i + 3]
      const pragma = name === undefined ? '' : asciiLower(unquote(name))
      if (mode === 'query' ? !QUERY_PRAGMAS.has(pragma) : ENGINE_PRAGMAS.has(pragma)) {
        throw fail(`PRAGMA ${pragma} is not allowed in the sandbox`)
      }
    }
  }
}

// SQLite's run-time limits (sqlite3_limit() categories).
export const SQLITE_LIMIT = {
  SQL_LENGTH: 1,
  COLUMN: 2,
  EXPR_DEPTH: 3,
  COMPOUND_SELECT: 4,
  FUNCTION_ARG: 6,
  ATTACHED: 7,
  LIKE_PATTERN_LENGTH: 8,
  TRIGGER_DEPTH: 10,
  PARSER_DEPTH: 12
} as const

// Far below SQLite's compile-time maxima, which assume a native stack: in
// WebAssembly, SQLite recurses on V8's stack, about 1 MB on a main thread and
// 4 MB in a worker. Measured on a main thread, a LIKE pattern overflowed it
// at 10 000 nested '%' (20 000 bytes) and a BETWEEN chain at 2 000 deep; the
// LIKE and depth limits here keep margins of eight or more below that (see
// the engine-faults tests) and are still beyond any query a student writes
// (20 nested subqueries, 250-term sums).
export const LIKE_PATTERN_BYTES = 1000
export const MAX_COLUMNS = 500
const EXPR_DEPTH = 250
const PARSER_DEPTH = 1000
const COMPOUND_SELECT = 200
const FUNCTION_ARGS = 127
const TRIGGER_DEPTH = 200
// The questions service accepts schema SQL up to 1 MiB. A run's connection
// needs as much: opening the image, SQLite parses the schema's CREATE
// statements under the connection's limit. Queries are held to
// maxQueryBytes before SQLite sees them.
const SCHEMA_SQL_BYTES = 1024 * 1024

/** The limits set on every connection, by sqlite3_limit() category. */
export function connectionLimits (mode: SqlMode, limits: Limits): Map<number, number> {
  return new Map([
    [SQLITE_LIMIT.SQL_LENGTH, Math.max(limits.maxQueryBytes, SCHEMA_SQL_BYTES)],
    [SQLITE_LIMIT.COLUMN, MAX_COLUMNS],
    [SQLITE_LIMIT.EXPR_DEPTH, EXPR_DEPTH],
    [SQLITE_LIMIT.PARSER_DEPTH, PARSER_DEPTH],
    [SQLITE_LIMIT.COMPOUND_SELECT, COMPOUND_SELECT],
    [SQLITE_LIMIT.FUNCTION_ARG, FUNCTION_ARGS],
    [SQLITE_LIMIT.TRIGGER_DEPTH, TRIGGER_DEPTH],
    [SQLITE_LIMIT.LIKE_PATTERN_LENGTH, LIKE_PATTERN_BYTES],
    // No other database may be attached to a run; a schema may still VACUUM,
    // which attaches one for itself.
    [SQLITE_LIMIT.ATTACHED, mode === 'query' ? 0 : 1]
  ])
}

/** SQLite's errors for its limits, as the sandbox reports them; null for any other message. */
export function limitErrorFor (message: string): LimitError | QueryError | null {
  if (message === 'LIKE or GLOB pattern too complex') {
    return new LimitError(`a LIKE or GLOB pattern is longer than ${LIKE_PATTERN_BYTES} bytes (${message})`)
  }
  if (message === 'too many columns in result set') return new LimitError(`result has more than ${MAX_COLUMNS} columns (${message})`)
  if (message === 'Recursion limit') return new LimitError(`the query is nested too deeply (${message})`)
  if (message.startsWith('too many attached databases')) return new QueryError('ATTACH is not allowed: each run has exactly one database')
  if (/^(Expression tree is too large|too many columns on |too many terms in compound SELECT|too many arguments on function |too many levels of trigger recursion|triggers nested too deep)/.test(message)) {
    return new LimitError(message)
  }
  return null
}
