// A database as SQL text that builds it again: its CREATE statements as
// written, in the order they were made, its rows as INSERTs of SQLite's own
// quote() literals (so integers, reals, text, blobs and NULL keep their
// types), then its triggers (after the rows, so none fires while they go in).
//
// Rows may go in reversed or shuffled: a rowid table without an INTEGER
// PRIMARY KEY is then scanned in another order, which shows whether a
// reference answer depends on the order rows happen to be stored in. A table
// whose rows are keyed (INTEGER PRIMARY KEY, WITHOUT ROWID) is always scanned
// in key order, whatever order its rows were inserted in.
import { insertableColumns, readSchema, type DatabaseSchema, type TableSchema } from './database-schema.ts'
import { seededRandom } from './seeded-random.ts'
import { isError, quoteIdentifier, textLiteral, type LiteralRow, type RunSql } from './sql-literals.ts'

export { insertableColumns, readSchema } from './database-schema.ts'
export type { LiteralRow, RunSql } from './sql-literals.ts'
export type { ColumnSchema, DatabaseSchema, ForeignKeySchema, SchemaObject, TableSchema, UniqueIndexSchema } from './database-schema.ts'

export type RowOrder = 'original' | 'reverse' | 'shuffle'

export interface DumpOptions {
  order: RowOrder
  /** seed of the shuffle; the same seed gives the same order */
  seed?: number
}

/** The order a table's rows are stored in: its rowid, or its key for a table without one. */
function storageOrder (table: TableSchema): string {
  if (table.virtual) return ''
  if (table.withoutRowid) {
    const key = table.columns.filter(column => column.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey)
    return ` ORDER BY ${key.map(column => quoteIdentifier(column.name)).join(', ')}`
  }
  const rowid = table.rowidName ?? table.rowidAlias
  return rowid === null ? '' : ` ORDER BY ${quoteIdentifier(rowid)}`
}

export interface TableRows {
  rows: LiteralRow[]
  /** the rowid of each row, for rowid tables whose rowid is not a column */
  rowids?: string[]
}

/**
 * A table's rows in storage order as quote() literals of its insertable
 * columns, at most `limit` of them. Read in pages that halve when a page is
 * over the runner's result limits.
 */
export async function readTableRows (runSql: RunSql, database: string, table: TableSchema, options: { limit?: number, withRowids?: boolean } = {}): Promise<TableRows> {
  const withRowids = options.withRowids === true && table.rowidName !== null && table.rowidAlias === null
  const cells = insertableColumns(table).map(column => `quote(${quoteIdentifier(column.name)})`)
  if (withRowids) cells.unshift(quoteIdentifier(table.rowidName!))
  const select = `SELECT ${cells.join(', ')} FROM ${quoteIdentifier(table.name)}${storageOrder(table)}`
  const limit = options.limit ?? Infinity
  const rows: LiteralRow[] = []
  let page = 500
  while (rows.length < limit) {
    const wanted = Math.min(page, limit - rows.length)
    const result = await runSql(database, `${select} LIMIT ${wanted} OFFSET ${rows.length}`)
    if (isError(result)) {
      if (page === 1) throw new Error(`the rows of ${table.name} could not be read: ${result.error}`)
      page = Math.ceil(page / 2)
      continue
    }
    for (const row of result.rows) rows.push(row.map(cell => cell ?? 'NULL'))
    if (result.rows.length < wanted) break
  }
  if (!withRowids) return { rows }
  return { rows: rows.map(row => row.slice(1)), rowids: rows.map(row => row[0]) }
}

const ROWS_PER_INSERT = 200
const BYTES_PER_INSERT = 256 * 1024

function insertStatements (table: TableSchema, { rows, rowids }: TableRows): string[] {
  const names = insertableColumns(table).map(column => quoteIdentifier(column.name))
  if (rowids) names.unshift(quoteIdentifier(table.rowidName!))
  const head = `INSERT INTO ${quoteIdentifier(table.name)} (${names.join(', ')}) VALUES\n  `
  const statements: string[] = []
  let values: string[] = []
  let bytes = 0
  rows.forEach((row, i) => {
    const tuple = `(${(rowids ? [rowids[i], ...row] : row).join(', ')})`
    if (values.length > 0 && (values.length >= ROWS_PER_INSERT || bytes + tuple.length > BYTES_PER_INSERT)) {
      statements.push(head + values.join(',\n  ') + ';')
      values = []
      bytes = 0
    }
    values.push(tuple)
    bytes += tuple.length
  })
  if (values.length > 0) statements.push(head + values.join(',\n  ') + ';')
  return statements
}

function writeDatabase (schema: DatabaseSchema, rowsOf: (table: TableSchema) => TableRows, options: { sequences: boolean }): string {
  // Tables, indexes and views in the order they were made (SQLite's catalogue
  // keeps it); the rows; then the triggers, so none fires while rows go in.
  const objects = [...schema.tables, ...schema.indexes, ...schema.views].sort((a, b) => a.position - b.position)
  const statements: string[] = objects.map(object => `${object.sql};`)
  for (const table of schema.tables) statements.push(...insertStatements(table, rowsOf(table)))
  if (options.sequences && schema.sequences.size > 0) {
    const values = [...schema.sequences].map(([name, seq]) => `(${textLiteral(name)}, ${seq})`)
    statements.push('DELETE FROM sqlite_sequence;', `INSERT INTO sqlite_sequence (name, seq) VALUES ${values.join(', ')};`)
  }
  for (const trigger of schema.triggers) statements.push(`${trigger.sql};`)
  if (schema.userVersion !== 0) statements.push(`PRAGMA user_version = ${schema.userVersion};`)
  return statements.join('\n') + '\n'
}

/** True when rowids are 1, 2, 3, ... in order: inserting the rows in order gives them again. */
function consecutiveFromOne (rowids: string[]): boolean {
  return rowids.every((rowid, i) => rowid === String(i + 1))
}

/**
 * SQL that recreates the database: with `order: 'original'` exactly (rowids
 * included where inserting in order would not give them again); with
 * 'reverse' or 'shuffle' the same rows, each table's in that order.
 */
export async function dumpDatabase (runSql: RunSql, database: string, options: DumpOptions): Promise<string> {
  const schema = await readSchema(runSql, database)
  const rowsByTable = new Map<string, TableRows>()
  for (const table of schema.tables) {
    const read = await readTableRows(runSql, database, table, { withRowids: options.order === 'original' })
    if (read.rowids && consecutiveFromOne(read.rowids)) delete read.rowids
    const rows = options.order === 'reverse'
      ? [...read.rows].reverse()
      : options.order === 'shuffle' ? seededRandom(options.seed ?? 1).shuffle(read.rows) : read.rows
    rowsByTable.set(table.name, { rows, rowids: read.rowids })
  }
  return writeDatabase(schema, table => rowsByTable.get(table.name)!, { sequences: true })
}

/**
 * SQL of a database with the schema's tables, indexes, views and triggers
 * and the given rows: quote() literals in the order of each table's
 * insertable columns. A table not named is left empty.
 */
export function rowsToSql (schema: DatabaseSchema, rowsByTable: ReadonlyMap<string, LiteralRow[]> | Readonly<Record<string, LiteralRow[]>>): string {
  const rowsOf = (table: TableSchema): LiteralRow[] => {
    if (rowsByTable instanceof Map) return rowsByTable.get(table.name) ?? []
    const record = rowsByTable as Readonly<Record<string, LiteralRow[]>>
    return Object.hasOwn(record, table.name) ? record[table.name] : []
  }
  return writeDatabase(schema, table => ({ rows: rowsOf(table) }), { sequences: false })
}
