// The edits datasets are perturbed with: copy rows (with some value
// changed, keys made fresh), change values in place, delete rows (and the
// rows that point at them). Each returns a new dataset, or null when it
// would change nothing or break a key.
import type { DatabaseSchema, TableSchema } from './database-schema.ts'
import { cloneDataset, collides, dropOrphans, freshen, type Dataset } from './dataset-rows.ts'
import type { LiteralRow } from './sql-literals.ts'

export type RowPick = 'all' | 'even' | 'odd' | 'first'

export function picked (pick: RowPick, index: number): boolean {
  if (pick === 'all') return true
  if (pick === 'first') return index === 0
  return index % 2 === (pick === 'even' ? 0 : 1)
}

/** Row changes are [position, literal] pairs; a function gives them per row. */
export type RowChange = (row: LiteralRow, index: number) => [number, string][]

/** Adds a copy of each picked row with `change` applied and fresh keys, as many as fit. */
export function copyRows (schema: DatabaseSchema, data: Dataset, table: TableSchema, maxRows: number, pick: RowPick, change: RowChange): Dataset | null {
  const out = cloneDataset(data)
  const rows = out.get(table.name) ?? []
  const originals = [...rows]
  let added = 0
  for (const [index, row] of originals.entries()) {
    if (rows.length >= maxRows) break
    if (!picked(pick, index)) continue
    const changes = change(row, index)
    const copy = [...row]
    for (const [position, literal] of changes) copy[position] = literal
    const fresh = freshen(schema, out, table, rows, copy, new Set(changes.map(([position]) => position)))
    if (fresh === null) continue
    rows.push(fresh)
    added++
  }
  out.set(table.name, rows)
  return added > 0 ? out : null
}

/** Applies `change` to the picked rows in place; a row whose change would break a key keeps its values. */
export function updateRows (schema: DatabaseSchema, data: Dataset, table: TableSchema, pick: RowPick, change: RowChange): Dataset | null {
  const out = cloneDataset(data)
  const rows = out.get(table.name) ?? []
  let changed = false
  for (const [index, row] of rows.entries()) {
    if (!picked(pick, index)) continue
    const updated = [...row]
    for (const [position, literal] of change(row, index)) updated[position] = literal
    if (updated.every((value, i) => value === row[i]) || collides(table, rows, updated, index)) continue
    rows[index] = updated
    changed = true
  }
  if (!changed) return null
  dropOrphans(schema, out)
  return out
}

/** Deletes the rows `keep` refuses, and whatever pointed at them. */
export function deleteRows (schema: DatabaseSchema, data: Dataset, table: TableSchema, keep: (row: LiteralRow, index: number) => boolean): Dataset | null {
  const rows = data.get(table.name) ?? []
  const kept = rows.filter(keep)
  if (kept.length === rows.length) return null
  const out = cloneDataset(data)
  out.set(table.name, kept)
  dropOrphans(schema, out)
  return out
}
