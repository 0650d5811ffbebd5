// Runs SQL with sql.js (SQLite compiled to WebAssembly). Every database lives
// in sql.js's in-memory file system, so nothing a query does can reach host
// files. Everything here is synchronous once `loadEngine()` has resolved, so
// it can be used in-process as well as from the sandbox worker.
//
// Parts: sqljs-binding.ts (sql.js and SQLite's C API), sandbox-policy.ts
// (what SQL may do), connection-hardening.ts (SQLite's limits and defensive
// mode), result-reader.ts (rows and their served size), mysql-helpers.ts,
// engine-faults.ts (SQL errors versus a broken engine).

import { createHelpers, registerHelpers } from './mysql-helpers.ts'
import type { Helper } from './mysql-helpers.ts'
import { hardenConnection, locateConnectionFields } from './connection-hardening.ts'
import type { ConnectionFields } from './connection-hardening.ts'
import { errorMessage, isEngineFault } from './engine-faults.ts'
import { defaultLimits, formatBytes } from './engine-types.ts'
import type { Limits, QueryResult } from './engine-types.ts'
import { runStatements } from './result-reader.ts'
import { EngineFaultError, LimitError, QueryError, RunError, SchemaError } from './run-errors.ts'
import { checkStatements, connectionLimits, limitErrorFor } from './sandbox-policy.ts'
import type { SqlMode } from './sandbox-policy.ts'
import { forEachStatement, loadSqlJs, step } from './sqljs-binding.ts'
import type { Binding, SqlJsDatabase } from './sqljs-binding.ts'

export { defaultLimits } from './engine-types.ts'
export type { Cell, Limits, QueryResult } from './engine-types.ts'

interface Engine {
  binding: Binding
  helpers: Helper[]
  fields: ConnectionFields
}

let current: Engine | undefined
let loading: Promise<void> | undefined
let heapLimit = 0
let poisoned = false

/** Loads the WebAssembly engine. Idempotent; must resolve before anything else here is called. */
export function loadEngine (): Promise<void> {
  loading ??= (async () => {
    const binding = await loadSqlJs()
    current = { binding, helpers: createHelpers(binding), fields: locateConnectionFields(binding) }
  })()
  return loading
}

function engine (): Engine {
  if (current === undefined) throw new Error('the SQL engine is not loaded: await loadEngine() first')
  return current
}

/**
 * True once the engine may no longer be trusted: a fault (a WebAssembly trap,
 * a stack overflow, SQLite reporting internal damage), or a run that changed
 * engine-wide state it must not change (lowered SQLite's heap limit, left a
 * database attached). A worker that sees it asks to be replaced; in-process,
 * every later call is refused with EngineFaultError.
 */
export function isEnginePoisoned (): boolean {
  return poisoned
}

/** Current size of the engine's WebAssembly memory, which never shrinks. */
export function engineMemoryBytes (): number {
  return current?.binding.memory.buffer.byteLength ?? 0
}

function toRunError (error: unknown, mode: SqlMode, limits: Limits): RunError {
  if (error instanceof RunError) return error
  if (isEngineFault(error)) {
    poisoned = true
    return new EngineFaultError(undefined, error)
  }
  const message = errorMessage(error)
  if (mode === 'schema') return new SchemaError(message)
  if (message === 'out of memory') {
    return new LimitError(`query needs more than ${formatBytes(limits.memoryBytes)} of memory (out of memory)`)
  }
  if (message === 'string or blob too big') return new LimitError('a string or blob in the query is too big (string or blob too big)')
  if (message === 'database or disk is full') {
    return new LimitError(`the database would grow by more than ${formatBytes(limits.memoryBytes)} (database or disk is full)`)
  }
  return limitErrorFor(message) ?? new QueryError(message)
}

/** Runs `body` on the engine; whatever it throws comes out as a RunError, and a fault poisons the engine. */
function withEngine<T> (mode: SqlMode, limits: Limits, body: (engine: Engine) => T): T {
  const loaded = engine()
  if (poisoned) throw new EngineFaultError()
  const { sql } = loaded.binding
  // A trap or stack overflow unwinds past the C code that would have
  // restored the engine's own stack pointer.
  const stack = sql.stackSave()
  try {
    return body(loaded)
  } catch (error) {
    throw toRunError(error, mode, limits)
  } finally {
    sql.stackRestore(stack)
  }
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
 * reopened for each run. A failure of the SQL is a SchemaError with the
 * engine's message; a fault of the engine is an EngineFaultError.
 */
export function buildImage (initialSql: string): Uint8Array {
  return withEngine('schema', defaultLimits, ({ binding, fields }) => {
    checkStatements(initialSql, 'schema', message => new SchemaError(message))
    const db = new binding.sql.Database()
    try {
      hardenConnection(binding, fields, db.db, connectionLimits('schema', defaultLimits))
      forEachStatement(binding, db.db, initialSql, stmt => {
        while (step(binding, db.db, stmt));
      })
      return db.export()
    } finally {
      checkHeapLimit(db)
      db.close()
    }
  })
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
  return withEngine('query', limits, ({ binding, fields, helpers }) => {
    const queryBytes = Buffer.byteLength(query, 'utf8')
    if (queryBytes > limits.maxQueryBytes) {
      throw new LimitError(`query is too long: ${queryBytes} bytes, the limit is ${formatBytes(limits.maxQueryBytes)}`)
    }
    checkStatements(query, 'query', message => new QueryError(message))
    const db = new binding.sql.Database(image)
    try {
      applyHeapLimit(db, limits.memoryBytes)
      hardenConnection(binding, fields, db.db, connectionLimits('query', limits))
      // Temp tables and the rollback journal live in SQLite's (capped) heap;
      // the database file may grow by at most memoryBytes.
      const pageSize = pageSizeOf(image)
      const maxPages = Math.ceil(image.length / pageSize) + Math.max(1, Math.floor(limits.memoryBytes / pageSize))
      db.exec(`PRAGMA temp_store = MEMORY; PRAGMA journal_mode = MEMORY; PRAGMA max_page_count = ${maxPages}`)
      registerHelpers(binding, helpers, db.db)
      const result = runStatements(binding, db.db, query, limits)
      // Defence in depth behind checkStatements and the ATTACH limit: a run
      // must end with its one database. Anything else attached lives on in
      // this worker's in-memory files, so the worker is retired and the
      // result withheld.
      const attached = db.exec('PRAGMA database_list')[0]?.values.map(row => String(row[1])).filter(name => name !== 'main' && name !== 'temp') ?? []
      if (attached.length > 0) {
        poisoned = true
        throw new QueryError('ATTACH is not allowed: each run has exactly one database')
      }
      return result
    } finally {
      checkHeapLimit(db)
      db.close()
    }
  })
}

/** Test only: makes SQLite trap (an out-of-bounds memory access), as a broken engine would. */
export function provokeEngineFaultForTest (): never {
  return withEngine('query', defaultLimits, ({ binding }) => {
    binding.sql._sqlite3_step(-16) // a statement "at" the last bytes of the 4 GiB address space
    throw new Error('the engine did not trap')
  })
}
