// Tells a SQL error (the student's or the teacher's SQL is wrong, or hit a
// limit) from a fault of the engine itself (a WebAssembly trap, a stack
// overflow, SQLite reporting internal damage). A fault leaves the engine in a
// state nothing may be trusted from: its worker is retired.

import { RunError } from './run-errors.ts'
import { SqliteError } from './sqljs-binding.ts'

const SQLITE_INTERNAL = 2
const SQLITE_IOERR = 10 // the in-memory file system failed
const SQLITE_CORRUPT = 11
const SQLITE_MISUSE = 21
const FAULT_CODES = new Set([SQLITE_INTERNAL, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_MISUSE])

// sql.js's own calls (open, export) report SQLite's message as a plain Error,
// without the code; these are the messages of the fault codes.
const FAULT_MESSAGES = new Set([
  'database disk image is malformed',
  'bad parameter or other API misuse',
  'disk I/O error'
])

export function isEngineFault (error: unknown): boolean {
  if (error instanceof RunError) return false
  if (error instanceof SqliteError) return FAULT_CODES.has(error.code & 0xff)
  // A plain Error comes from sql.js relaying sqlite3_errmsg(). Anything else
  // (WebAssembly.RuntimeError, RangeError "Maximum call stack size exceeded",
  // TypeError, a thrown string) is not from SQLite and means the engine broke.
  if (error instanceof Error && error.constructor === Error) return FAULT_MESSAGES.has(error.message)
  return true
}

export function errorMessage (error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
