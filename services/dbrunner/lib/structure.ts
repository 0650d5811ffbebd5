// The tables and columns a database's SQL creates, read from SQLite's own
// catalogue by a run like any other (so it is cached like any other).
import { HttpError } from '../../../lib/http-error.ts'
import { runOutput, type RunDeps } from './runs.ts'

const structureQuery = `SELECT m.name, p.name, p.type, p.pk, p."notnull"
FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
ORDER BY m.name, p.cid`

export interface TableStructure {
  name: string
  columns: { name: string, type: string, primary_key: boolean, not_null: boolean }[]
}

/** Throws SchemaError when the database SQL does not build. */
export async function structureOf (deps: RunDeps, database: string, owner?: string): Promise<TableStructure[]> {
  const { output } = await runOutput(deps, { database, query: structureQuery, owner })
  if (!output) throw new HttpError(500, 'the structure of this database could not be read')
  const tables = new Map<string, TableStructure>()
  for (const [table, column, type, pk, notNull] of output.rows) {
    const name = String(table)
    if (!tables.has(name)) tables.set(name, { name, columns: [] })
    tables.get(name)!.columns.push({ name: String(column), type: type ?? '', primary_key: pk !== '0', not_null: notNull === '1' })
  }
  return [...tables.values()]
}
