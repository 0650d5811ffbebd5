// Sets SQLite's run-time limits and defensive mode on every connection.
//
// sql.js exports neither sqlite3_limit() nor sqlite3_db_config() (the C
// functions it exports are fixed when it is built, and these are not among
// them), so neither can be called. What they do is small: sqlite3_limit()
// stores the new value in the connection's aLimit[] array (capped at the
// compile-time maximum), and SQLITE_DBCONFIG_DEFENSIVE sets one bit of its
// flags. Those two fields are found once per engine in a scratch connection,
// by what they hold, and written directly on every connection. SQLite's own
// refusals are then checked on the scratch connection, so a build where the
// fields are not where expected fails to load rather than run unprotected.

import { SQLITE_LIMIT, connectionLimits } from './sandbox-policy.ts'
import type { Binding, SqlJsDatabase } from './sqljs-binding.ts'
import { defaultLimits } from './engine-types.ts'

// SQLITE_Defensive: the bit SQLITE_DBCONFIG_DEFENSIVE sets in db->flags.
// It makes shadow tables (FTS3's x_content, x_segdir, ...) and sqlite_schema
// read-only even under PRAGMA writable_schema.
const SQLITE_DEFENSIVE = 0x10000000
// SQLITE_ReverseOrder, the bit PRAGMA reverse_unordered_selects sets: used to find db->flags.
const SQLITE_REVERSE_ORDER = 0x00001000

// Compile-time maxima, in sqlite3_limit() category order, as PRAGMA compile_options names them.
const HARD_LIMIT_OPTIONS = ['MAX_LENGTH', 'MAX_SQL_LENGTH', 'MAX_COLUMN', 'MAX_EXPR_DEPTH',
  'MAX_COMPOUND_SELECT', 'MAX_VDBE_OP', 'MAX_FUNCTION_ARG', 'MAX_ATTACHED', 'MAX_LIKE_PATTERN_LENGTH',
  'MAX_VARIABLE_NUMBER', 'MAX_TRIGGER_DEPTH', 'MAX_WORKER_THREADS']

// How far into the sqlite3 object to look for the fields.
const SEARCH_BYTES = 1024

export interface ConnectionFields {
  /** byte offset of aLimit[] in the sqlite3 object */
  limits: number
  /** byte offset of the low word of flags */
  flags: number
  /** a fresh connection's limits, by category: the compile-time maxima */
  initial: number[]
}

function unsupported (what: string): Error {
  return new Error(`unsupported sql.js build: ${what}`)
}

function words (binding: Binding, db: number): Int32Array {
  return new Int32Array(binding.memory.buffer.slice(db, db + SEARCH_BYTES))
}

function findLimits (binding: Binding, scratch: SqlJsDatabase): { offset: number, initial: number[] } {
  const options = new Map(scratch.exec('PRAGMA compile_options')[0].values.map(([option]) => {
    const [name, value] = String(option).split('=')
    return [name, Number(value)]
  }))
  const expected = HARD_LIMIT_OPTIONS.map(name => options.get(name))
  if (expected.some(value => value === undefined || !Number.isInteger(value))) throw unsupported('limits not listed in compile_options')
  const memory = words(binding, scratch.db)
  const found: number[] = []
  for (let i = 0; i + expected.length <= memory.length; i++) {
    if (expected.every((value, k) => memory[i + k] === value)) found.push(i)
  }
  if (found.length !== 1) throw unsupported(`connection limits found ${found.length} times`)
  const index = found[0]
  // One more category than compile_options lists: SQLITE_LIMIT_PARSER_DEPTH.
  return { offset: index * 4, initial: Array.from(memory.subarray(index, index + SQLITE_LIMIT.PARSER_DEPTH + 1)) }
}

function findFlags (binding: Binding, scratch: SqlJsDatabase): number {
  // Running a statement also moves other words (memory bookkeeping): the
  // flags are the one word that gains exactly that bit, and loses it again.
  const before = words(binding, scratch.db)
  scratch.exec('PRAGMA reverse_unordered_selects = ON')
  const on = words(binding, scratch.db)
  scratch.exec('PRAGMA reverse_unordered_selects = OFF')
  const off = words(binding, scratch.db)
  const found = Array.from(before.keys()).filter(i =>
    (on[i] & ~before[i]) === SQLITE_REVERSE_ORDER && (on[i] ^ before[i]) === SQLITE_REVERSE_ORDER && off[i] === before[i])
  if (found.length !== 1) throw unsupported(`connection flags found ${found.length} times`)
  return found[0] * 4
}

/** Sets the given limits (by category) and defensive mode on a connection. */
export function hardenConnection (binding: Binding, fields: ConnectionFields, db: number, limits: Map<number, number>): void {
  const view = new DataView(binding.memory.buffer)
  for (const [category, value] of limits) {
    // sqlite3_limit() never raises a limit above its compile-time maximum.
    view.setInt32(db + fields.limits + 4 * category, Math.min(value, fields.initial[category]), true)
  }
  const flags = db + fields.flags
  view.setUint32(flags, (view.getUint32(flags, true) | SQLITE_DEFENSIVE) >>> 0, true)
}

function expectRefusal (scratch: SqlJsDatabase, sql: string, message: string): void {
  let refusal = 'nothing'
  try {
    scratch.exec(sql)
  } catch (error) {
    refusal = (error as Error).message
    if (refusal === message) return
  }
  throw unsupported(`expected "${message}" from SQLite, got ${refusal}`)
}

/** Finds the fields on a scratch connection and checks that writing them makes SQLite refuse what it should. */
export function locateConnectionFields (binding: Binding): ConnectionFields {
  const scratch = new binding.sql.Database()
  try {
    const { offset, initial } = findLimits(binding, scratch)
    const fields: ConnectionFields = { limits: offset, flags: findFlags(binding, scratch), initial }
    const limits = connectionLimits('query', defaultLimits)
    hardenConnection(binding, fields, scratch.db, limits)
    const limit = (category: number) => limits.get(category)!
    expectRefusal(scratch, `SELECT ${Array(limit(SQLITE_LIMIT.EXPR_DEPTH) + 1).fill('1').join('+')}`,
      `Expression tree is too large (maximum depth ${limit(SQLITE_LIMIT.EXPR_DEPTH)})`)
    expectRefusal(scratch, `SELECT 'a' LIKE '${'a'.repeat(limit(SQLITE_LIMIT.LIKE_PATTERN_LENGTH) + 1)}'`, 'LIKE or GLOB pattern too complex')
    expectRefusal(scratch, `SELECT ${Array(limit(SQLITE_LIMIT.COLUMN) + 1).fill('1').join(',')}`, 'too many columns in result set')
    expectRefusal(scratch, "ATTACH ':memory:' AS other", 'too many attached databases - max 0')
    const depth = limit(SQLITE_LIMIT.PARSER_DEPTH) + 1
    expectRefusal(scratch, `SELECT ${'('.repeat(depth)}1${')'.repeat(depth)}`, 'Recursion limit')
    expectRefusal(scratch, 'CREATE TABLE t (a); PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = sql',
      'table sqlite_master may not be modified')
    return fields
  } finally {
    scratch.close()
  }
}
