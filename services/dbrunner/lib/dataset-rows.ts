// Datasets as rows of SQL literals per table, and what keeps them within the
// schema's keys: new rows get unused key values (foreign key columns take
// their parent's existing keys), and rows whose parent is gone go too.
// The engine has the last word (a dataset is built and checked before use);
// this only keeps most candidates from failing there.
import { insertableColumns, type DatabaseSchema, type ForeignKeySchema, type TableSchema } from './database-schema.ts'
import { numberLiteral, parseLiteral, textLiteral, type LiteralRow } from './sql-literals.ts'

/** Rows by table name, each row in the order of the table's insertable columns. */
export type Dataset = Map<string, LiteralRow[]>

export function cloneDataset (data: Dataset): Dataset {
  return new Map([...data].map(([table, rows]) => [table, rows.map(row => [...row])]))
}

export function rowCount (data: Dataset): number {
  let count = 0
  for (const rows of data.values()) count += rows.length
  return count
}

/** A value as SQLite compares it in a key: 1 and 1.0 alike, text apart from numbers; null for NULL. */
export function valueKey (literal: string): string | null {
  const value = parseLiteral(literal)
  if (value.kind === 'null') return null
  if (value.kind === 'integer' || value.kind === 'real') return `n${value.value}`
  return value.kind === 'text' ? `t${value.value}` : `b${value.hex.toUpperCase()}`
}

const rowKey = (row: LiteralRow): string => row.join('\u0000')

/** Column positions (in a row) of the table's columns, by name. */
export function columnIndex (table: TableSchema, name: string): number {
  return insertableColumns(table).findIndex(column => column.name.toLowerCase() === name.toLowerCase())
}

/** SQLite's type affinity of a declared type. */
export function affinityOf (declared: string): 'integer' | 'text' | 'blob' | 'real' | 'numeric' {
  const type = declared.toUpperCase()
  if (type.includes('INT')) return 'integer'
  if (/CHAR|CLOB|TEXT/.test(type)) return 'text'
  if (type === '' || type.includes('BLOB')) return 'blob'
  if (/REAL|FLOA|DOUB/.test(type)) return 'real'
  return 'numeric'
}

/** The table's unique keys as row positions: PRIMARY KEY and UNIQUE, whole-row ones only. */
export function uniqueKeys (table: TableSchema): number[][] {
  const keys: number[][] = []
  if (table.rowidAlias !== null) keys.push([columnIndex(table, table.rowidAlias)])
  for (const unique of table.uniques) {
    if (unique.partial || unique.columns.some(column => column === null)) continue
    const positions = unique.columns.map(column => columnIndex(table, column!))
    if (!positions.includes(-1)) keys.push(positions)
  }
  return keys
}

function keyValue (row: LiteralRow, positions: number[]): string | null {
  const parts: string[] = []
  for (const position of positions) {
    const key = valueKey(row[position])
    if (key === null) return null // NULLs never collide in a UNIQUE key
    parts.push(key)
  }
  return parts.join('\u0000')
}

/** True when `row` has the same value as one of `rows` in some unique key (`skip`: its own index). */
export function collides (table: TableSchema, rows: LiteralRow[], row: LiteralRow, skip = -1): boolean {
  return uniqueKeys(table).some(positions => {
    const key = keyValue(row, positions)
    return key !== null && rows.some((other, i) => i !== skip && keyValue(other, positions) === key)
  })
}

/** Parent columns a foreign key refers to: as declared, or the parent's primary key. */
export function parentColumns (schema: DatabaseSchema, key: ForeignKeySchema): string[] | null {
  const parent = schema.tables.find(table => table.name.toLowerCase() === key.table.toLowerCase())
  if (parent === undefined) return null
  const primary = parent.columns.filter(column => column.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey)
  const columns = key.to.map((to, i) => to ?? primary[i]?.name)
  return columns.some(column => column === undefined) ? null : columns as string[]
}

export function tableNamed (schema: DatabaseSchema, name: string): TableSchema | undefined {
  return schema.tables.find(table => table.name.toLowerCase() === name.toLowerCase())
}

/** Values the parent offers for one foreign key column, in the parent's row order. */
export function parentValues (schema: DatabaseSchema, data: Dataset, key: ForeignKeySchema, column: number): string[] {
  const parent = tableNamed(schema, key.table)
  const columns = parentColumns(schema, key)
  if (parent === undefined || columns === null) return []
  const position = columnIndex(parent, columns[column])
  return (data.get(parent.name) ?? []).map(row => row[position]).filter(value => value !== 'NULL')
}

/** Removes rows whose foreign key points at no parent row, until none is left (deleting a parent takes its children). */
export function dropOrphans (schema: DatabaseSchema, data: Dataset): void {
  for (let changed = true; changed;) {
    changed = false
    for (const table of schema.tables) {
      for (const key of table.foreignKeys) {
        const parent = tableNamed(schema, key.table)
        const columns = parentColumns(schema, key)
        if (parent === undefined || columns === null) continue
        const parentPositions = columns.map(column => columnIndex(parent, column))
        const childPositions = key.from.map(column => columnIndex(table, column))
        if (parentPositions.includes(-1) || childPositions.includes(-1)) continue
        const present = new Set((data.get(parent.name) ?? []).map(row => keyValue(row, parentPositions)))
        const rows = data.get(table.name) ?? []
        const kept = rows.filter(row => {
          const key = keyValue(row, childPositions)
          return key === null || present.has(key)
        })
        if (kept.length !== rows.length) {
          data.set(table.name, kept)
          changed = true
        }
      }
    }
  }
}

/** Fresh values to try for a key column: unused parent keys, numbers past the largest, text made unique. */
function freshValues (schema: DatabaseSchema, data: Dataset, table: TableSchema, rows: LiteralRow[], position: number): string[] {
  const column = insertableColumns(table)[position]
  for (const key of table.foreignKeys) {
    const index = key.from.findIndex(from => from.toLowerCase() === column.name.toLowerCase())
    if (index !== -1) return parentValues(schema, data, key, index)
  }
  const current = rows.map(row => parseLiteral(row[position]))
  const numbers = current.flatMap(value => value.kind === 'integer' || value.kind === 'real' ? [value.value] : [])
  const affinity = affinityOf(column.type)
  if (numbers.length > 0 || affinity === 'integer' || affinity === 'real' || affinity === 'numeric') {
    const next = Math.floor(Math.max(0, ...numbers)) + 1
    return [0, 1, 2, 3].map(step => numberLiteral(next + step, 'integer'))
  }
  const texts = current.flatMap(value => value.kind === 'text' ? [value.value] : [])
  const out: string[] = []
  for (const text of texts.slice(0, 4)) {
    const digits = /(\d+)$/.exec(text)
    for (let step = 1; step <= 3; step++) {
      if (digits !== null) out.push(textLiteral(text.slice(0, digits.index) + String(Number(digits[1]) + step).padStart(digits[1].length, '0')))
      else if (text.includes('@')) out.push(textLiteral(text.replace('@', `${step + 1}@`)))
      else out.push(textLiteral(`${text} ${step + 1}`))
    }
  }
  if (!column.notNull && column.primaryKey === 0) out.push('NULL')
  return out
}

/**
 * `row` changed where needed so it collides with none of `rows` in any
 * unique key; columns in `fixed` keep their value. Null when no way is found.
 */
export function freshen (schema: DatabaseSchema, data: Dataset, table: TableSchema, rows: LiteralRow[], row: LiteralRow, fixed: ReadonlySet<number>): LiteralRow | null {
  let current = [...row]
  for (const positions of uniqueKeys(table)) {
    if (!collides(table, rows, current)) return current
    const key = keyValue(current, positions)
    if (key === null || !rows.some(other => keyValue(other, positions) === key)) continue
    let fixedKey = false
    for (const position of positions.filter(p => !fixed.has(p))) {
      for (const value of freshValues(schema, data, table, rows, position)) {
        const candidate = [...current]
        candidate[position] = value
        const candidateKey = keyValue(candidate, positions)
        if (candidateKey === null || !rows.some(other => keyValue(other, positions) === candidateKey)) {
          current = candidate
          fixedKey = true
          break
        }
      }
      if (fixedKey) break
    }
    if (!fixedKey) return null
  }
  return collides(table, rows, current) ? null : current
}

/**
 * Puts what `change` did to `base` (rows taken out, rows put in) on top of
 * `onto`: two perturbations of the same data in one dataset. Rows put in get
 * fresh keys where they would collide with rows already there.
 */
export function mergeChanges (schema: DatabaseSchema, base: Dataset, onto: Dataset, change: Dataset): Dataset {
  const merged = cloneDataset(onto)
  for (const [table, changed] of change) {
    const tableSchema = tableNamed(schema, table)
    const before = new Map<string, number>()
    for (const row of base.get(table) ?? []) before.set(rowKey(row), (before.get(rowKey(row)) ?? 0) + 1)
    const added: LiteralRow[] = []
    for (const row of changed) {
      const count = before.get(rowKey(row)) ?? 0
      if (count > 0) before.set(rowKey(row), count - 1)
      else added.push(row)
    }
    // What is left in `before` was taken out by the change.
    const rows = (merged.get(table) ?? []).filter(row => {
      const count = before.get(rowKey(row)) ?? 0
      if (count === 0) return true
      before.set(rowKey(row), count - 1)
      return false
    })
    const keyPositions = new Set(tableSchema === undefined ? [] : uniqueKeys(tableSchema).flat())
    const fixed = new Set<number>()
    for (let position = 0; position < (added[0]?.length ?? 0); position++) if (!keyPositions.has(position)) fixed.add(position)
    for (const row of added) {
      const fresh = tableSchema === undefined ? row : freshen(schema, merged, tableSchema, rows, row, fixed)
      if (fresh !== null) rows.push(fresh)
    }
    merged.set(table, rows)
  }
  return merged
}

export function datasetKey (data: Dataset): string {
  return [...data].map(([table, rows]) => `${table}\u0001${rows.map(rowKey).join('\u0002')}`).join('\u0003')
}
