// MySQL-style helpers: YEAR(), MONTH(), DAY() and LEFT(). Written against the
// C API so YEAR() returns an INTEGER (sql.js's create_function can only
// return REALs) and LEFT() works on SQLite's own text form of its argument.
// IF() needs nothing: SQLite has it built in (an alias of iif()), which
// keeps the types of its arguments.

import { errorMessage, isEngineFault } from './engine-faults.ts'
import { SQLITE_NULL, SqliteError, readCString, readPointer, readUtf8 } from './sqljs-binding.ts'
import type { Binding } from './sqljs-binding.ts'

const SQLITE_UTF8 = 1
const SQLITE_DETERMINISTIC = 0x800
const SQLITE_TRANSIENT = -1

export interface Helper {
  /** C string of the name */
  name: number
  args: number
  /** index of the callback in the wasm function table */
  fn: number
}

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

/** Creates the helpers' callbacks once per engine; `registerHelpers` attaches them to each connection. */
export function createHelpers (binding: Binding): Helper[] {
  const { sql, memory } = binding
  const argument = (argv: number, index: number) => readPointer(memory, argv + 4 * index)
  const text = (value: number) => readUtf8(memory, sql._sqlite3_value_text(value), sql._sqlite3_value_bytes(value))
  // An exception must not unwind through SQLite's C frames: an error becomes
  // the function's SQL error, a fault is parked for `step` to rethrow.
  const guarded = (body: (context: number, argv: number) => void) => (context: number, _argc: number, argv: number) => {
    try {
      body(context, argv)
    } catch (error) {
      if (isEngineFault(error)) binding.pendingFault ??= { error }
      const message = sql.stringToNewUTF8(errorMessage(error))
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

export function registerHelpers (binding: Binding, helpers: Helper[], db: number): void {
  for (const helper of helpers) {
    const rc = binding.sql._sqlite3_create_function_v2(db, helper.name, helper.args,
      SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, helper.fn, 0, 0, 0)
    if (rc !== 0) throw new SqliteError(rc, readCString(binding.memory, binding.sql._sqlite3_errmsg(db)))
  }
}
