// Runs SQL with sql.js (SQLite compiled to WebAssembly). Every database lives
// in sql.js's in-memory file system, so nothing a query does can reach host
// files. Everything here is synchronous once `loadEngine()` has resolved, so
// it can be used in-process as well as from the sandbox worker.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tokenize, isKeyword } from './normalise.ts'
import type { Token } from './normalise.ts'
import { LimitError, QueryError, SchemaError } from './run-errors.ts'

export type Cell = string | null

export interface QueryResult {
  header: string[]
  rows: Cell[][]
  truncated?: boolean
}

export interface Limits {
  /** most rows a result may have */
  maxRows: number
  /** most bytes of cell text a result may have (UTF-8 text; blobs count as their hex) */
  maxResultBytes: number
  /** longest query text accepted, in UTF-8 bytes */
  maxQueryBytes: number
  /** cap on SQLite's heap, and on how far one run may grow the database */
  memoryBytes: number
}

export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxRows: 1000,
  maxResultBytes: 1024 * 1024,
  maxQueryBytes: 64 * 1024,
  memoryBytes: 64 * 1024 * 1024
})

// The parts of sql.js used here (the package ships no type declarations).
// sql.js's Database is used to open, export and close databases; statements
// and helper functions go through SQLite's C API, which sql.js exports, so
// that values come back in SQLite's own text form (sql.js's getters turn the
// REAL 999.0 into the number 999) and helpers can return real integers.
interface SqlJsDatabase {
  /** the sqlite3* handle */
  db: number
  exec (sql: string): Array<{ columns: string[], values: unknown[][] }>
  export (): Uint8Array
  close (): void
}

interface SqlJsModule {
  Database: new (data?: Uint8Array | null) => SqlJsDatabase
  addFunction (fn: (...args: number[]) => void, signature: string): number
  stringToNewUTF8 (text: string): number
  _malloc (size: number): number
  _free (pointer: number): void
  _sqlite3_prepare_v2 (db: number, sql: number, bytes: number, stmtOut: number, tailOut: number): number
  _sqlite3_step (stmt: number): number
  _sqlite3_finalize (stmt: number): number
  _sqlite3_errmsg (db: number): number
  _sqlite3_column_count (stmt: number): number
  _sqlite3_column_name (stmt: number, column: number): number
  _sqlite3_column_type (stmt: number, column: number): number
  _sqlite3_column_text (stmt: number, column: number): number
  _sqlite3_column_blob (stmt: number, column: number): number
  _sqlite3_column_bytes (stmt: number, column: number): number
  _sqlite3_create_function_v2 (db: number, name: number, args: number, flags: number, app: number,
    fn: number, step: number, final: number, destroy: number): number
  _sqlite3_value_type (value: number): number
  _sqlite3_value_text (value: number): number
  _sqlite3_value_bytes (value: number): number
  _sqlite3_value_double (value: number): number
  _sqlite3_result_int (context: number, value: number): void
  _sqlite3_result_null (context: number): void
  _sqlite3_result_text (context: number, text: number, bytes: number, destructor: number): void
  _sqlite3_result_error (context: number, message: number, bytes: number): void
}

type InitSqlJs = (config?: Record<string, unknown>) => Promise<SqlJsModule>

// The WebAssembly global, typed here because the project's type libraries
// (es2024 + @types/node) do not declare it.
interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmInstance { exports: Record<string, unknown> }
interface WasmGlobal {
  Memory: new (descriptor: { initial: number }) => WasmMemory
  instantiate (bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance, module: unknown }>
}
const wasmGlobal = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly

const SQLITE_ROW = 100
const SQLITE_DONE = 101
const SQLITE_BLOB = 4
const SQLITE_NULL = 5
const SQLITE_UTF8 = 1
const SQLITE_DETERMINISTIC = 0x800
const SQLITE_TRANSIENT = -1

interface Engine {
  sql: SqlJsModule
  memory: WasmMemory
  helpers: Array<{ name: number, args: number, fn: number }>
}

let current: Engine | undefined
let loading: Promise<void> | undefined
let heapLimit = 0
let poisoned = false

/** Loads the WebAssembly engine. Idempotent; must resolve before anything else here is called. */
export function loadEngine (): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url)
    const initSqlJs = require('sql.js') as InitSqlJs
    const wasm = readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'))
    let memory: WasmMemory | undefined
    let failed: (error: unknown) => void = () => {}
    const instantiation = new Promise<never>((_resolve, reject) => { failed = reject })
    const sql = await Promise.race([instantiation, initSqlJs({
      // The old extension functions print deprecation warnings; SQLite's own math functions replace them.
      useOldExtensionFunctions: false,
      // Emscripten's documented hook, used to get hold of the wasm memory,
      // which sql.js does not export (reading C API out-parameters needs it).
      instantiateWasm (imports: Record<string, Record<string, unknown>>, receive: (instance: WasmInstance, module: unknown) => void) {
        wasmGlobal.instantiate(wasm, imports).then(({ instance, module }) => {
          const candidates = [...Object.values(instance.exports), ...Object.values(imports).flatMap(space => Object.values(space))]
          memory = candidates.find((value): value is WasmMemory => value instanceof wasmGlobal.Memory)
          receive(instance, module)
        }, failed)
        return {}
      }
    })])
    if (memory === undefined) throw new Error('unsupported sql.js build: no WebAssembly memory found')
    current = { sql, memory, helpers: createHelpers(sql, memory) }
  })()
  return loading
}

function engine (): Engine {
  if (current === undefined) throw new Error('the SQL engine is not loaded: await loadEngine() first')
  return current
}

function readPointer (memory: WasmMemory, address: number): number {
  return new DataView(memory.buffer).getUint32(address, true)
}

function readUtf8 (memory: WasmMemory, pointer: number, bytes: number): string {
  if (pointer === 0 || bytes === 0) return ''
  return Buffer.from(memory.buffer, pointer, bytes).toString('utf8')
}

function readCString (memory: WasmMemory, pointer: number): string {
  if (pointer === 0) return ''
  const heap = new Uint8Array(memory.buffer)
  const end = heap.indexOf(0, pointer)
  return Buffer.from(memory.buffer, pointer, (end === -1 ? heap.length : end) - pointer).toString('utf8')
}

/**
 * True once a run has changed engine-wide state it must not change (today:
 * lowered SQLite's heap limit). The statement checks make this unreachable;
 * it is a second line of defence: a worker that sees it asks to be replaced.
 */
export function isEnginePoisoned (): boolean {
  return poisoned
}

function formatBytes (bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}

// ---------------------------------------------------------------------------
// Statement checks, done on the text before SQLite sees it: some PRAGMAs act
// while being compiled (even under EXPLAIN), so checking prepared statements
// would be too late.

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

/** Throws QueryError (via `fail`) when the SQL uses something the sandbox refuses. */
function checkStatements (sql: string, mode: 'query' | 'schema', fail: (message: string) => Error): void {
  const tokens = tokenize(sql)
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    // Nothing is ever bound, and their odd forms ("$x(...)") are where a
    // checker and SQLite could read the text differently: refused outright.
    if (token.type === 'parameter') {
      throw fail(`parameters such as ${token.text.slice(0, 20)} are not supported: write the values in the query`)
    }
    if (mode === 'query' && (isKeyword(token, 'ATTACH') || isKeyword(token, 'DETACH'))) {
      throw fail(`${token.text.toUpperCase()} is not allowed: each run has exactly one database`)
    }
    if (isKeyword(token, 'VACUUM') && (mode === 'query' || tokens.slice(i + 1, i + 4).some(t => isKeyword(t, 'INTO')))) {
      throw fail('VACUUM is not allowed in the sandbox')
    }
    if (mode === 'schema' && isKeyword(token, 'ATTACH')) {
      throw fail('ATTACH is not allowed in schema SQL')
    }
    if (isKeyword(token, 'PRAGMA')) {
      // PRAGMA [schema.]name
      let name = tokens[i + 1]
      if (name !== undefined && tokens[i + 2]?.type === 'punct' && tokens[i + 2].text === '.') name = tokens[i + 3]
      const pragma = name === undefined ? '' : unquote(name).toLowerCase()
      if (mode === 'query' ? !QUERY_PRAGMAS.has(pragma) : ENGINE_PRAGMAS.has(pragma)) {
        throw fail(`PRAGMA ${pragma} is not allowed in the sandbox`)
      }
    }
  }
}

// ---------------------------------------------------------------------------
// MySQL-style helpers, written against the C API so YEAR() returns an
// INTEGER (sql.js's create_function can only return REALs) and LEFT() works
// on SQLite's own text form of its argument. IF() needs nothing: SQLite has
// it built in (an alias of iif()), which keeps the types of its arguments.

function datePart (text: string, part: 1 | 2 | 3): number | null {
  const match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[\sT])/.exec(text)
  if (match === null) return null
  const month = Number(match[2])
  const day = Number(match[3])
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  return Number(match[part])
}

/** Bytes taken by the first `chars` characters of UTF-8 text. */
function utf8PrefixBytes (heap: Uint8Array, pointer: number, bytes: number, chars: number): number {
  let seen = 0
  for (let i = 0; i < bytes; i++) {
    if ((heap[pointer + i] & 0xc0) !== 0x80) {
      if (seen === chars) return i
      seen++
    }
  }
  return bytes
}

function createHelpers (sql: SqlJsModule, memory: WasmMemory): Engine['helpers'] {
  const argument = (argv: number, index: number) => readPointer(memory, argv + 4 * index)
  const text = (value: number) => readUtf8(memory, sql._sqlite3_value_text(value), sql._sqlite3_value_bytes(value))
  // An exception must not unwind through SQLite's C frames.
  const guarded = (body: (context: number, argv: number) => void) => (context: number, _argc: number, argv: number) => {
    try {
      body(context, argv)
    } catch (error) {
      const message = sql.stringToNewUTF8(engineMessage(error))
      sql._sqlite3_result_error(context, message, -1)
      sql._free(message)
    }
  }
  const datePartHelper = (part: 1 | 2 | 3) => guarded((context, argv) => {
    const value = argument(argv, 0)
    const result = sql._sqlite3_value_type(value) === SQLITE_NULL ? null : datePart(text(value), part)
    if (result === null) sql._sqlite3_result_null(context)
    else sql._sqlite3_result_int(context, result)
  })
  const left = guarded((context, argv) => {
    const value = argument(argv, 0)
    const count = argument(argv, 1)
    if (sql._sqlite3_value_type(value) === SQLITE_NULL || sql._sqlite3_value_type(count) === SQLITE_NULL) {
      sql._sqlite3_result_null(context)
      return
    }
    const chars = Math.max(0, Math.trunc(sql._sqlite3_value_double(count)))
    const pointer = sql._sqlite3_value_text(value)
    const bytes = sql._sqlite3_value_bytes(value)
    const prefix = utf8PrefixBytes(new Uint8Array(memory.buffer), pointer, bytes, chars)
    sql._sqlite3_result_text(context, pointer, prefix, SQLITE_TRANSIENT)
  })
  const define = (name: string, args: number, fn: (context: number, argc: number, argv: number) => void) =>
    ({ name: sql.stringToNewUTF8(name), args, fn: sql.addFunction(fn, 'viii') })
  return [
    define('YEAR', 1, datePartHelper(1)),
    define('MONTH', 1, datePartHelper(2)),
    define('DAY', 1, datePartHelper(3)),
    define('LEFT', 2, left)
  ]
}

function registerHelpers (current: Engine, db: SqlJsDatabase): void {
  for (const helper of current.helpers) {
    const rc = current.sql._sqlite3_create_function_v2(db.db, helper.name, helper.args,
      SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, helper.fn, 0, 0, 0)
    if (rc !== 0) throw new Error(readCString(current.memory, current.sql._sqlite3_errmsg(db.db)))
  }
}

// ---------------------------------------------------------------------------

function engineMessage (error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

function mapQueryError (error: unknown, limits: Limits): Error {
  if (error instanceof LimitError || error instanceof QueryError) return error
  const message = engineMessage(error)
  if (message === 'out of memory') {
    return new LimitError(`query needs more than ${formatBytes(limits.memoryBytes)} of memory (out of memory)`)
  }
  if (message === 'string or blob too big') return new LimitError('a string or blob in the query is too big (string or blob too big)')
  if (message === 'database or disk is full') {
    return new LimitError(`the database would grow by more than ${formatBytes(limits.memoryBytes)} (database or disk is full)`)
  }
  return new QueryError(message)
}

function applyHeapLimit (db: SqlJsDatabase, bytes: number): void {
  // SQLite's hard heap limit is engine-wide and a PRAGMA can only lower it,
  // so the smallest limit ever asked for stays in force.
  if (heapLimit !== 0 && heapLimit <= bytes) return
  db.exec(`PRAGMA hard_heap_limit = ${Math.floor(bytes)}`)
  heapLimit = Math.floor(bytes)
}

function checkHeapLimit (db: SqlJsDatabase): void {
  try {
    const value = db.exec('PRAGMA hard_heap_limit')[0]?.values[0]?.[0]
    if (heapLimit !== 0 && Number(value) !== heapLimit) poisoned = true
  } catch {
    poisoned = true
  }
}

/**
 * Runs the schema SQL in a fresh database and returns its image, to be
 * reopened for each run. Any failure is a SchemaError with the engine's message.
 */
export function buildImage (initialSql: string): Uint8Array {
  const { sql } = engine()
  checkStatements(initialSql, 'schema', message => new SchemaError(message))
  let db: SqlJsDatabase | undefined
  try {
    db = new sql.Database()
    db.exec(initialSql)
    return db.export()
  } catch (error) {
    throw new SchemaError(engineMessage(error))
  } finally {
    if (db !== undefined) {
      checkHeapLimit(db)
      db.close()
    }
  }
}

function pageSizeOf (image: Uint8Array): number {
  if (image.length < 100) return 4096
  const size = (image[16] << 8) | image[17]
  return size === 1 ? 65536 : size || 4096
}

/**
 * Runs a student's SQL on a private copy of the image. Statements run in
 * order; the result is the last one that returns columns (or an empty
 * result when none does).
 */
export function runQuery (image: Uint8Array, query: string, limits: Limits = defaultLimits): QueryResult {
  const current = engine()
  const queryBytes = Buffer.byteLength(query, 'utf8')
  if (queryBytes > limits.maxQueryBytes) {
    throw new LimitError(`query is too long: ${queryBytes} bytes, the limit is ${formatBytes(limits.maxQueryBytes)}`)
  }
  checkStatements(query, 'query', message => new QueryError(message))

  let db: SqlJsDatabase
  try {
    db = new current.sql.Database(image)
  } catch (error) {
    throw mapQueryError(error, limits)
  }
  try {
    applyHeapLimit(db, limits.memoryBytes)
    // Temp tables and the rollback journal live in SQLite's (capped) heap;
    // the database file may grow by at most memoryBytes.
    const pageSize = pageSizeOf(image)
    const maxPages = Math.ceil(image.length / pageSize) + Math.max(1, Math.floor(limits.memoryBytes / pageSize))
    db.exec(`PRAGMA temp_store = MEMORY; PRAGMA journal_mode = MEMORY; PRAGMA max_page_count = ${maxPages}`)
    registerHelpers(current, db)
    const result = execute(current, db, query, limits)
    // Defence in depth behind checkStatements: a run must end with its one
    // database. Anything else attached lives on in this worker's in-memory
    // files, so the worker is retired and the result withheld.
    const attached = db.exec('PRAGMA database_list')[0]?.values.map(row => String(row[1])).filter(name => name !== 'main' && name !== 'temp') ?? []
    if (attached.length > 0) {
      poisoned = true
      throw new QueryError('ATTACH is not allowed: each run has exactly one database')
    }
    return result
  } catch (error) {
    throw mapQueryError(error, limits)
  } finally {
    checkHeapLimit(db)
    db.close()
  }
}

function execute (current: Engine, db: SqlJsDatabase, query: string, limits: Limits): QueryResult {
  const { sql, memory } = current
  const fail = () => new Error(readCString(memory, sql._sqlite3_errmsg(db.db)))
  let result: QueryResult = { header: [], rows: [] }
  const text = sql.stringToNewUTF8(query)
  const out = sql._malloc(8) // sqlite3_stmt** then const char** (the unparsed tail)
  try {
    let tail = text
    while (true) {
      if (sql._sqlite3_prepare_v2(db.db, tail, -1, out, out + 4) !== 0) throw fail()
      const stmt = readPointer(memory, out)
      const next = readPointer(memory, out + 4)
      if (stmt === 0) {
        // only whitespace or comments were left
        if (next === tail || new Uint8Array(memory.buffer)[next] === 0) break
        tail = next
        continue
      }
      tail = next
      try {
        const columns = sql._sqlite3_column_count(stmt)
        const header: string[] = []
        for (let column = 0; column < columns; column++) header.push(readCString(memory, sql._sqlite3_column_name(stmt, column)))
        const rows: Cell[][] = []
        let bytes = 0
        while (true) {
          const rc = sql._sqlite3_step(stmt)
          if (rc === SQLITE_DONE) break
          if (rc !== SQLITE_ROW) throw fail()
          if (columns === 0) continue
          if (rows.length >= limits.maxRows) throw new LimitError(`result has more than ${limits.maxRows} rows`)
          const row: Cell[] = []
          for (let column = 0; column < columns; column++) {
            const type = sql._sqlite3_column_type(stmt, column)
            if (type === SQLITE_NULL) {
              row.push(null)
              continue
            }
            // Asking for text makes SQLite render numbers its own way (999.0
            // stays "999.0", big integers stay exact). A blob's size is known
            // before it is materialised, so a huge zeroblob is refused cheaply.
            // is materialised, so a huge zeroblob is refused cheaply.
            const blob = type === SQLITE_BLOB
            const text = blob ? 0 : sql._sqlite3_column_text(stmt, column)
            const size = sql._sqlite3_column_bytes(stmt, column)
            bytes += blob ? size * 2 : size
            if (bytes > limits.maxResultBytes) throw new LimitError(`result is larger than ${formatBytes(limits.maxResultBytes)}`)
            const pointer = blob ? sql._sqlite3_column_blob(stmt, column) : text
            if (pointer === 0 && size > 0) throw fail()
            row.push(blob ? Buffer.from(memory.buffer, pointer, size).toString('hex').toUpperCase() : readUtf8(memory, pointer, size))
          }
          rows.push(row)
        }
        if (columns > 0) result = { header, rows }
      } finally {
        sql._sqlite3_finalize(stmt)
      }
    }
  } finally {
    sql._free(out)
    sql._free(text)
  }
  return result
}
