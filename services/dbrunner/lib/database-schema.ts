// What a database is made of, read from SQLite's catalogue and pragmas by
// one query, so it costs one run wherever the SQL runs (in process or on the
// sandbox pool).
import { mustRun, type RunSql } from './sql-literals.ts'

export interface ColumnSchema {
  name: string
  /** declared type as written ('' when none) */
  type: string
  notNull: boolean
  /** default as SQL text, null when none */
  default: string | null
  /** position in the primary key, 1-based; 0 when not part of it */
  primaryKey: number
  /** a generated column: computed, never inserted */
  generated: boolean
}

export interface UniqueIndexSchema {
  name: string
  /** column names; null stands for an expression */
  columns: (string | null)[]
  /** 'pk' (PRIMARY KEY), 'u' (UNIQUE in the table), 'c' (CREATE UNIQUE INDEX) */
  origin: string
  /** a partial index only applies to some rows */
  partial: boolean
}

export interface ForeignKeySchema {
  /** the parent table */
  table: string
  from: string[]
  /** parent columns; null: the parent's primary key */
  to: (string | null)[]
  onDelete: string
  onUpdate: string
}

export interface TableSchema {
  name: string
  /** place in SQLite's catalogue: creation order */
  position: number
  /** CREATE TABLE as written */
  sql: string
  virtual: boolean
  withoutRowid: boolean
  columns: ColumnSchema[]
  uniques: UniqueIndexSchema[]
  foreignKeys: ForeignKeySchema[]
  /** the INTEGER PRIMARY KEY column that is the rowid, if any */
  rowidAlias: string | null
  /** how a rowid table's own rowid can be named (rowid, _rowid_, oid) when no column takes all three */
  rowidName: string | null
}

export interface SchemaObject {
  name: string
  /** place in SQLite's catalogue: creation order */
  position: number
  /** table (or view) it belongs to */
  table: string
  sql: string
}

export interface DatabaseSchema {
  /** in creation order, without SQLite's own tables and the shadow tables of virtual tables */
  tables: TableSchema[]
  /** indexes created by CREATE INDEX (not the automatic ones of UNIQUE and PRIMARY KEY) */
  indexes: SchemaObject[]
  views: SchemaObject[]
  triggers: SchemaObject[]
  userVersion: number
  /** AUTOINCREMENT counters: table -> last value handed out */
  sequences: Map<string, number>
}

// One row per catalogue entry; tables carry their pragmas as JSON arrays.
const catalogueQuery = `SELECT m.type, m.name, m.tbl_name, m.sql,
  (SELECT l.type FROM pragma_table_list AS l WHERE l.schema = 'main' AND l.name = m.name),
  (SELECT l.wr FROM pragma_table_list AS l WHERE l.schema = 'main' AND l.name = m.name),
  CASE WHEN m.type = 'table' THEN (SELECT json_group_array(json_array(c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden))
    FROM (SELECT * FROM pragma_table_xinfo(m.name) ORDER BY cid) AS c) END,
  CASE WHEN m.type = 'table' THEN (SELECT json_group_array(json_array(i.name, i.origin, i.partial,
      json((SELECT json_group_array(k.name) FROM (SELECT * FROM pragma_index_info(i.name) ORDER BY seqno) AS k))))
    FROM pragma_index_list(m.name) AS i WHERE i."unique") END,
  CASE WHEN m.type = 'table' THEN (SELECT json_group_array(json_array(f.id, f."table", f."from", f."to", f.on_update, f.on_delete))
    FROM (SELECT * FROM pragma_foreign_key_list(m.name) ORDER BY id, seq) AS f) END,
  (SELECT user_version FROM pragma_user_version)
FROM sqlite_master AS m ORDER BY m.rowid`

type ColumnRow = [string, string, number, string | null, number, number]
type IndexRow = [string, string, number, (string | null)[]]
type ForeignKeyRow = [number, string, string, string | null, string, string]

function foreignKeysOf (rows: ForeignKeyRow[]): ForeignKeySchema[] {
  const byId = new Map<number, ForeignKeySchema>()
  for (const [id, table, from, to, onUpdate, onDelete] of rows) {
    const key = byId.get(id) ?? { table, from: [], to: [], onDelete, onUpdate }
    key.from.push(from)
    key.to.push(to)
    byId.set(id, key)
  }
  return [...byId.values()]
}

function tableOf (position: number, name: string, sql: string, type: string, wr: string | null, columnsJson: string, indexesJson: string, foreignKeysJson: string): TableSchema {
  const columns = (JSON.parse(columnsJson) as ColumnRow[])
    // hidden 1: a virtual table's hidden column; 2 and 3: generated columns
    .filter(([, , , , , hidden]) => hidden !== 1)
    .map(([column, declared, notNull, dflt, pk, hidden]) => ({
      name: column, type: declared, notNull: notNull === 1, default: dflt, primaryKey: pk, generated: hidden >= 2
    }))
  const uniques = (JSON.parse(indexesJson) as IndexRow[])
    .map(([index, origin, partial, keys]) => ({ name: index, origin, partial: partial === 1, columns: keys }))
  const virtual = type === 'virtual'
  const withoutRowid = wr === '1'
  const pk = columns.filter(column => column.primaryKey > 0)
  // A single-column primary key is the rowid exactly when SQLite made no index for it.
  const rowidAlias = !virtual && !withoutRowid && pk.length === 1 && !uniques.some(u => u.origin === 'pk') ? pk[0].name : null
  const names = new Set(columns.map(column => column.name.toLowerCase()))
  const rowidName = virtual || withoutRowid ? null : ['rowid', '_rowid_', 'oid'].find(candidate => !names.has(candidate)) ?? null
  return { name, position, sql, virtual, withoutRowid, columns, uniques, foreignKeys: foreignKeysOf(JSON.parse(foreignKeysJson)), rowidAlias, rowidName }
}

/** Reads the tables (with columns, unique indexes, foreign keys), indexes, views and triggers of a database. */
export async function readSchema (runSql: RunSql, database: string): Promise<DatabaseSchema> {
  const catalogue = await mustRun(runSql, database, catalogueQuery)
  const schema: DatabaseSchema = { tables: [], indexes: [], views: [], triggers: [], userVersion: 0, sequences: new Map() }
  let hasSequences = false
  for (const [position, [type, name, table, sql, listType, wr, columns, indexes, foreignKeys, userVersion]] of catalogue.rows.entries()) {
    schema.userVersion = Number(userVersion ?? 0)
    if (name === null || table === null) continue
    if (name === 'sqlite_sequence') hasSequences = true
    // SQLite's own tables and virtual tables' shadow tables come back by themselves.
    if (name.startsWith('sqlite_') || sql === null || listType === 'shadow') continue
    if (type === 'table') schema.tables.push(tableOf(position, name, sql, listType ?? 'table', wr, columns ?? '[]', indexes ?? '[]', foreignKeys ?? '[]'))
    else if (type === 'index') schema.indexes.push({ name, position, table, sql })
    else if (type === 'view') schema.views.push({ name, position, table, sql })
    else if (type === 'trigger') schema.triggers.push({ name, position, table, sql })
  }
  if (hasSequences) {
    for (const [name, seq] of (await mustRun(runSql, database, 'SELECT name, seq FROM sqlite_sequence')).rows) {
      if (name !== null && seq !== null) schema.sequences.set(name, Number(seq))
    }
  }
  return schema
}

/** Columns a row is written with: everything but generated columns. */
export function insertableColumns (table: TableSchema): ColumnSchema[] {
  return table.columns.filter(column => !column.generated)
}
