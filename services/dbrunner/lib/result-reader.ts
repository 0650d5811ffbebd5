// Runs a student's statements and reads the result of the last one that
// returns columns, as text in SQLite's own rendering, within the row and
// size limits.

import { LimitError } from './run-errors.ts'
import { ServedSize } from './json-size.ts'
import type { Cell, Limits, QueryResult } from './engine-types.ts'
import { SQLITE_BLOB, SQLITE_NULL, forEachStatement, lastError, readCString, readUtf8, step } from './sqljs-binding.ts'
import type { Binding } from './sqljs-binding.ts'

function readRows (binding: Binding, db: number, stmt: number, limits: Limits): QueryResult | null {
  const { sql, memory } = binding
  const columns = sql._sqlite3_column_count(stmt)
  if (columns === 0) {
    while (step(binding, db, stmt));
    return null
  }
  const size = new ServedSize(limits.maxResultBytes)
  const header: string[] = []
  for (let column = 0; column < columns; column++) {
    const name = readCString(memory, sql._sqlite3_column_name(stmt, column))
    size.addHeaderName(name)
    header.push(name)
  }
  const rows: Cell[][] = []
  while (step(binding, db, stmt)) {
    if (rows.length >= limits.maxRows) throw new LimitError(`result has more than ${limits.maxRows} rows`)
    size.startRow()
    const row: Cell[] = []
    for (let column = 0; column < columns; column++) {
      const type = sql._sqlite3_column_type(stmt, column)
      if (type === SQLITE_NULL) {
        size.addNull()
        row.push(null)
      } else if (type === SQLITE_BLOB) {
        // A blob's size is known before it is materialised, so a huge
        // zeroblob is refused cheaply.
        const bytes = sql._sqlite3_column_bytes(stmt, column)
        size.addBlob(bytes)
        const pointer = sql._sqlite3_column_blob(stmt, column)
        if (pointer === 0 && bytes > 0) throw lastError(binding, db)
        row.push(bytes === 0 ? '' : Buffer.from(memory.buffer, pointer, bytes).toString('hex').toUpperCase())
      } else {
        // Asking for text makes SQLite render numbers its own way (999.0
        // stays "999.0", big integers stay exact).
        const pointer = sql._sqlite3_column_text(stmt, column)
        const bytes = sql._sqlite3_column_bytes(stmt, column)
        if (pointer === 0 && bytes > 0) throw lastError(binding, db)
        size.reserveText(bytes)
        const text = readUtf8(memory, pointer, bytes)
        size.addText(text)
        row.push(text)
      }
    }
    rows.push(row)
  }
  return { header, rows }
}

/**
 * Runs the statements of `query` in order. The result is the last one that
 * returns columns, or an empty result when none does; every statement's
 * result must fit the limits, as any of them could have been the last.
 */
export function runStatements (binding: Binding, db: number, query: string, limits: Limits): QueryResult {
  // Even the empty result has a JSON text of its own, which must fit.
  ServedSize.ofEmptyResult(limits.maxResultBytes)
  let result: QueryResult = { header: [], rows: [] }
  forEachStatement(binding, db, query, stmt => {
    result = readRows(binding, db, stmt, limits) ?? result
  })
  return result
}
