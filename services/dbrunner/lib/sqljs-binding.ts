// The parts of sql.js (SQLite compiled to WebAssembly) the engine uses, and
// the few primitives built on SQLite's C API that sql.js exports. sql.js's
// Database is used to open, export and close databases; statements go
// through the C API so values come back in SQLite's own text form (sql.js's
// getters turn the REAL 999.0 into the number 999) and every failure keeps
// SQLite's result code, which tells a SQL error from a broken engine.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

export interface SqlJsDatabase {
  /** the sqlite3* handle */
  db: number
  exec (sql: string): Array<{ columns: string[], values: unknown[][] }>
  export (): Uint8Array
  close (): void
}

export interface SqlJsModule {
  Database: new (data?: Uint8Array | null) => SqlJsDatabase
  addFunction (fn: (...args: number[]) => void, signature: string): number
  stringToNewUTF8 (text: string): number
  stackSave (): number
  stackRestore (pointer: number): void
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
export interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmInstance { exports: Record<string, unknown> }
interface WasmGlobal {
  Memory: new (descriptor: { initial: number }) => WasmMemory
  instantiate (bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance, module: unknown }>
}
const wasmGlobal = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly

export const SQLITE_ROW = 100
export const SQLITE_DONE = 101
export const SQLITE_BLOB = 4
export const SQLITE_NULL = 5
export const SQLITE_NOMEM = 7

export interface Binding {
  sql: SqlJsModule
  memory: WasmMemory
  /**
   * A fault raised in JavaScript called back from SQLite (a helper
   * function). It must not unwind through SQLite's C frames, so the callback
   * reports an error to SQLite and parks the fault here; `step` rethrows it.
   */
  pendingFault?: { error: unknown }
}

/** An error SQLite reported, with its result code and its own message (sqlite3_errmsg). */
export class SqliteError extends Error {
  code: number

  constructor (code: number, message: string) {
    super(message)
    this.name = 'SqliteError'
    this.code = code
  }
}

export async function loadSqlJs (): Promise<Binding> {
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
  return { sql, memory }
}

export function readPointer (memory: WasmMemory, address: number): number {
  return new DataView(memory.buffer).getUint32(address, true)
}

export function readUtf8 (memory: WasmMemory, pointer: number, bytes: number): string {
  if (pointer === 0 || bytes === 0) return ''
  return Buffer.from(memory.buffer, pointer, bytes).toString('utf8')
}

export function readCString (memory: WasmMemory, pointer: number): string {
  if (pointer === 0) return ''
  const heap = new Uint8Array(memory.buffer)
  const end = heap.indexOf(0, pointer)
  return Buffer.from(memory.buffer, pointer, (end === -1 ? heap.length : end) - pointer).toString('utf8')
}

function sqliteError (binding: Binding, db: number, code: number): SqliteError {
  return new SqliteError(code, readCString(binding.memory, binding.sql._sqlite3_errmsg(db)))
}

/** The connection's last error, for calls that signal failure by a null pointer (out of memory). */
export function lastError (binding: Binding, db: number): SqliteError {
  return sqliteError(binding, db, SQLITE_NOMEM)
}

function throwPendingFault (binding: Binding): void {
  const pending = binding.pendingFault
  if (pending === undefined) return
  binding.pendingFault = undefined
  throw pending.error
}

/** Steps a statement: true for a row, false when done; throws SqliteError (or a parked fault) otherwise. */
export function step (binding: Binding, db: number, stmt: number): boolean {
  const rc = binding.sql._sqlite3_step(stmt)
  throwPendingFault(binding)
  if (rc === SQLITE_ROW) return true
  if (rc === SQLITE_DONE) return false
  throw sqliteError(binding, db, rc)
}

/**
 * Prepares the statements of `text` one after the other, as SQLite splits
 * them, and hands each to `visit` before finalizing it.
 */
export function forEachStatement (binding: Binding, db: number, text: string, visit: (stmt: number) => void): void {
  const { sql, memory } = binding
  const source = sql.stringToNewUTF8(text)
  const out = sql._malloc(8) // sqlite3_stmt** then const char** (the unparsed tail)
  try {
    let tail = source
    while (true) {
      const rc = sql._sqlite3_prepare_v2(db, tail, -1, out, out + 4)
      throwPendingFault(binding)
      if (rc !== 0) throw sqliteError(binding, db, rc)
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
        visit(stmt)
      } finally {
        sql._sqlite3_finalize(stmt)
      }
    }
  } finally {
    sql._free(out)
    sql._free(source)
  }
}
