// The tables, columns and foreign keys a database's SQL creates, read from
// SQLite's own catalogue (pragma_table_info, pragma_foreign_key_list) by one
// run like any other (so it is cached like any other).
import { HttpError } from '../../../lib/http-error.ts'
import { runOutput, type RunDeps } from './runs.ts'

// Columns and foreign-key parts in one result, told apart by the first cell:
// one sandbox run instead of two. Foreign keys come per constraint (id) and
// column pair (seq), in the order SQLite lists them.
const structureQuery = `SELECT 'column' AS kind, m.name AS tbl, p.cid AS a, 0 AS b, p.name AS c, p.type AS d, p.pk AS e, p."notnull" AS f
FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
UNION ALL
SELECT 'foreign_key', m.name, f.id, f.seq, f."table", f."from", f."to", NULL
FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
ORDER BY 2, 1, 3, 4`

export interface ForeignKey {
  /** the columns of this table */
  from: string[]
  /** the table referred to */
  table: string
  /** its columns: those named, or its primary key when the constraint names none */
  to: string[]
}

export interface TableStructure {
  name: string
  columns: { name: string, type: string, primary_key: boolean, not_null: boolean }[]
  foreign_keys: ForeignKey[]
}

interface ForeignKeyParts { table: string, from: string[], to: (string | null)[] }

/** Throws SchemaError when the database SQL does not build. */
export async function structureOf (deps: RunDeps, database: string, owner?: string): Promise<TableStructure[]> {
  const { output } = await runOutput(deps, { database, query: structureQuery, owner })
  if (!output) throw new HttpError(500, 'the structure of this database could not be read')
  const tables = new Map<string, TableStructure>()
  // SQLite's primary key order (pk is 1, 2, ... within the key), per table.
  const primaryKeys = new Map<string, { name: string, position: number }[]>()
  const foreignKeys = new Map<string, Map<string, ForeignKeyParts>>()
  for (const [kind, table, a, , c, d, e, f] of output.rows) {
    const name = String(table)
    if (kind === 'column') {
      if (!tables.has(name)) tables.set(name, { name, columns: [], foreign_keys: [] })
      tables.get(name)!.columns.push({ name: String(c), type: d ?? '', primary_key: e !== '0', not_null: f === '1' })
      if (e !== '0') primaryKeys.set(name, [...primaryKeys.get(name) ?? [], { name: String(c), position: Number(e) }])
    } else {
      const constraints = foreignKeys.get(name) ?? new Map<string, ForeignKeyParts>()
      foreignKeys.set(name, constraints)
      const parts = constraints.get(String(a)) ?? { table: String(c), from: [], to: [] }
      constraints.set(String(a), parts)
      parts.from.push(String(d))
      parts.to.push(e)
    }
  }
  for (const [name, constraints] of foreignKeys) {
    const structure = tables.get(name)
    if (!structure) continue
    for (const parts of constraints.values()) {
      // REFERENCES parent (no columns) means the parent's primary key.
      const parentKey = [...primaryKeys.get(parts.table) ?? []].sort((x, y) => x.position - y.position).map(column => column.name)
      const to = parts.to.every(column => column !== null) ? parts.to as string[] : parentKey
      structure.foreign_keys.push({ from: parts.from, table: parts.table, to })
    }
  }
  return [...tables.values()]
}
