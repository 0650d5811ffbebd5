// The perturbations tried on the visible data, most promising first: values
// at and around the constants the queries compare, rows without a join
// partner, NULLs, duplicates, ties, off-by-one pairs of compared columns,
// extreme values, shuffled columns, empty tables, subsets; then two or three
// of these, picked at random (seeded), applied one after the other.
import { valuesAround } from './boundary-values.ts'
import { insertableColumns, type DatabaseSchema, type TableSchema } from './database-schema.ts'
import { copyRows, deleteRows, picked, updateRows, type RowPick } from './dataset-edits.ts'
import { columnIndex, parentColumns, tableNamed, uniqueKeys, type Dataset } from './dataset-rows.ts'
import { refKey, type ColumnRef, type QueryComparisons } from './query-comparisons.ts'
import { seededRandom } from './seeded-random.ts'
import { numberLiteral, parseLiteral, type LiteralRow } from './sql-literals.ts'

export interface Perturbation {
  label: string
  apply: (data: Dataset) => Dataset | null
}

export interface PerturbationContext {
  schema: DatabaseSchema
  comparisons: QueryComparisons
  maxRowsPerTable: number
  seed: number
}

const MAX_VALUES_PER_COLUMN = 14

function located (schema: DatabaseSchema, ref: ColumnRef): { table: TableSchema, position: number } | null {
  const table = tableNamed(schema, ref.table)
  if (table === undefined) return null
  const position = columnIndex(table, ref.column)
  return position === -1 ? null : { table, position }
}

/** Columns in order of interest: compared with constants, compared otherwise, named, then the rest. */
function columnsByInterest (ctx: PerturbationContext): { table: TableSchema, position: number }[] {
  const seen = new Set<string>()
  const out: { table: TableSchema, position: number }[] = []
  const add = (ref: ColumnRef) => {
    const found = located(ctx.schema, ref)
    if (found === null || seen.has(`${found.table.name}\u0000${found.position}`)) return
    seen.add(`${found.table.name}\u0000${found.position}`)
    out.push(found)
  }
  for (const { ref } of ctx.comparisons.constants.values()) add(ref)
  for (const ref of ctx.comparisons.compared.values()) add(ref)
  for (const ref of ctx.comparisons.named.values()) add(ref)
  for (const table of ctx.schema.tables) for (const column of insertableColumns(table)) add({ table: table.name, column: column.name })
  return out
}

function* constantValues (ctx: PerturbationContext): Generator<Perturbation> {
  const { schema, maxRowsPerTable: max } = ctx
  for (const { ref, literals } of ctx.comparisons.constants.values()) {
    const found = located(schema, ref)
    if (found === null) continue
    const { table, position } = found
    const declared = insertableColumns(table)[position].type
    const values = [...new Set([...literals].flatMap(literal => valuesAround(literal, declared)))].slice(0, MAX_VALUES_PER_COLUMN)
    for (const value of values) {
      const label = `${table.name}.${ref.column} = ${value}`
      for (const pick of ['even', 'odd'] as RowPick[]) {
        yield { label: `${pick} rows set ${label}`, apply: data => updateRows(schema, data, table, pick, () => [[position, value]]) }
      }
      yield { label: `copies with ${label}`, apply: data => copyRows(schema, data, table, max, 'all', () => [[position, value]]) }
    }
  }
}

const tupleOf = (row: LiteralRow, positions: number[]): string => positions.map(position => row[position]).join('\u0000')

function* joinPartners (ctx: PerturbationContext): Generator<Perturbation> {
  const { schema, maxRowsPerTable: max } = ctx
  for (const child of schema.tables) {
    for (const key of child.foreignKeys) {
      const parent = tableNamed(schema, key.table)
      const columns = parentColumns(schema, key)
      if (parent === undefined || columns === null) continue
      const from = key.from.map(column => columnIndex(child, column))
      const to = columns.map(column => columnIndex(parent, column))
      if (from.includes(-1) || to.includes(-1)) continue
      const label = `${child.name}(${key.from.join(', ')}) -> ${parent.name}`
      const parentKeys = (data: Dataset) => (data.get(parent.name) ?? []).map(row => tupleOf(row, to))
      for (const pick of ['even', 'odd'] as RowPick[]) {
        yield { label: `${pick} parents without children (${label})`, apply: data => {
          const gone = new Set(parentKeys(data).filter((_, i) => picked(pick, i)))
          return deleteRows(schema, data, child, row => !gone.has(tupleOf(row, from)))
        } }
      }
      yield { label: `first child's parent without children (${label})`, apply: data => {
        const first = data.get(child.name)?.[0]
        return first === undefined ? null : deleteRows(schema, data, child, row => tupleOf(row, from) !== tupleOf(first, from))
      } }
      yield { label: `parents without children added (${label})`, apply: data => copyRows(schema, data, parent, max, 'all', () => []) }
      for (const pick of ['even', 'odd'] as RowPick[]) {
        yield { label: `${pick} children moved to the next parent (${label})`, apply: data => {
          const parents = data.get(parent.name) ?? []
          const keys = parentKeys(data)
          if (keys.length < 2) return null
          return updateRows(schema, data, child, pick, row => {
            const next = parents[(keys.indexOf(tupleOf(row, from)) + 1) % keys.length]
            return from.map((position, j) => [position, next[to[j]]] as [number, string])
          })
        } }
      }
      const nullable = from.find(position => !insertableColumns(child)[position].notNull)
      if (nullable !== undefined) {
        yield { label: `children without a parent (${label} NULL)`, apply: data => updateRows(schema, data, child, 'even', () => [[nullable, 'NULL']]) }
      }
      yield { label: `even parents deleted (${label})`, apply: data => deleteRows(schema, data, parent, (_, i) => i % 2 === 1) }
    }
  }
}

function* nullsAndDuplicates (ctx: PerturbationContext, columns: { table: TableSchema, position: number }[]): Generator<Perturbation> {
  const { schema, maxRowsPerTable: max } = ctx
  for (const { table, position } of columns) {
    const column = insertableColumns(table)[position]
    if (column.notNull || (column.primaryKey > 0 && table.withoutRowid)) continue
    const label = `${table.name}.${column.name} NULL`
    for (const pick of ['even', 'odd', 'first'] as RowPick[]) {
      yield { label: `${pick} rows set ${label}`, apply: data => updateRows(schema, data, table, pick, () => [[position, 'NULL']]) }
    }
    yield { label: `copies with ${label}`, apply: data => copyRows(schema, data, table, max, 'all', () => [[position, 'NULL']]) }
  }
  for (const table of schema.tables) {
    yield { label: `${table.name} rows copied`, apply: data => copyRows(schema, data, table, max, 'all', () => []) }
    yield { label: `${table.name} first row copied`, apply: data => copyRows(schema, data, table, max, 'first', () => []) }
  }
}

/** Equal values in neighbouring rows (ties, repeated names), and values just off another column's. */
function* tiesAndPairs (ctx: PerturbationContext, columns: { table: TableSchema, position: number }[]): Generator<Perturbation> {
  const { schema, maxRowsPerTable: max } = ctx
  for (const { table, position } of columns) {
    if (uniqueKeys(table).some(key => key.length === 1 && key[0] === position)) continue
    const name = `${table.name}.${insertableColumns(table)[position].name}`
    yield { label: `ties in ${name}`, apply: data => { const rows = data.get(table.name) ?? []; return updateRows(schema, data, table, 'odd', (_, i) => [[position, rows[i - 1][position]]]) } }
    yield { label: `one value in all of ${name}`, apply: data => { const rows = data.get(table.name) ?? []; return updateRows(schema, data, table, 'all', () => [[position, rows[0][position]]]) } }
  }
  for (const [a, b] of ctx.comparisons.pairs.flatMap(([a, b]) => [[a, b], [b, a]])) {
    const left = located(schema, a)
    const right = located(schema, b)
    if (left === null || right === null || (left.table === right.table && left.position === right.position)) continue
    for (const delta of [0, -1, 1]) {
      yield { label: `copies with ${a.table}.${a.column} = ${b.table}.${b.column} ${delta >= 0 ? '+' : ''}${delta}`, apply: data => {
        const others = data.get(right.table.name) ?? []
        if (others.length === 0) return null
        return copyRows(schema, data, left.table, max, 'all', (_, i) => {
          const value = parseLiteral(others[i % others.length][right.position])
          if (value.kind === 'integer' || value.kind === 'real') return [[left.position, numberLiteral(value.value + delta, value.kind)]]
          return delta === 0 ? [[left.position, others[i % others.length][right.position]]] : []
        })
      } }
    }
  }
}

function* extremesAndShuffles (ctx: PerturbationContext, columns: { table: TableSchema, position: number }[]): Generator<Perturbation> {
  const { schema } = ctx
  const named = columns.filter(({ table, position }) => ctx.comparisons.named.has(refKey({ table: table.name, column: insertableColumns(table)[position].name })))
  for (const { table, position } of named) {
    const name = `${table.name}.${insertableColumns(table)[position].name}`
    for (const extreme of ['0', '-1', "''"]) {
      yield { label: `even rows set ${name} = ${extreme}`, apply: data => updateRows(schema, data, table, 'even', row => {
        const kind = parseLiteral(row[position]).kind
        if (extreme === "''") return kind === 'text' ? [[position, extreme]] : []
        if (kind === 'integer') return [[position, extreme]]
        return kind === 'real' ? [[position, numberLiteral(Number(extreme), 'real')]] : []
      }) }
    }
    // A third decimal tells rounding to 2 places from rounding to 3.
    yield { label: `even rows add 0.125 to ${name}`, apply: data => updateRows(schema, data, table, 'even', row => {
      const value = parseLiteral(row[position])
      return value.kind === 'real' ? [[position, numberLiteral(value.value + 0.125, 'real')]] : []
    }) }
    for (const round of [1, 2]) {
      yield { label: `${name} shuffled (${round})`, apply: data => {
        const rows = data.get(table.name) ?? []
        const values = seededRandom(ctx.seed + round).shuffle(rows.map(row => row[position]))
        return updateRows(schema, data, table, 'all', (_, i) => [[position, values[i]]])
      } }
    }
  }
}

function* subsets (ctx: PerturbationContext): Generator<Perturbation> {
  const { schema } = ctx
  for (const table of schema.tables) {
    yield { label: `${table.name} emptied`, apply: data => deleteRows(schema, data, table, () => false) }
    yield { label: `${table.name} halved`, apply: data => deleteRows(schema, data, table, (_, i) => i % 2 === 0) }
  }
  for (let round = 0; round < 6; round++) {
    yield { label: `random subset (${round})`, apply: data => {
      const random = seededRandom(ctx.seed + 100 + round)
      let out: Dataset | null = null
      for (const table of schema.tables) out = deleteRows(schema, out ?? data, table, () => random.next() < 0.6) ?? out
      return out
    } }
  }
}

/** Every single perturbation, then random runs of two or three of them: a fixed order for a given context. */
export function* perturbations (ctx: PerturbationContext): Generator<Perturbation> {
  const columns = columnsByInterest(ctx)
  const singles: Perturbation[] = []
  for (const family of [constantValues(ctx), joinPartners(ctx), nullsAndDuplicates(ctx, columns), tiesAndPairs(ctx, columns), extremesAndShuffles(ctx, columns), subsets(ctx)]) {
    for (const perturbation of family) {
      singles.push(perturbation)
      yield perturbation
    }
  }
  // Then two or three of them one after the other, for as long as the caller asks.
  const random = seededRandom(ctx.seed)
  for (let round = 0; round < 20_000 && singles.length > 1; round++) {
    const steps = Array.from({ length: 2 + (round % 2) }, () => singles[random.below(singles.length)])
    yield {
      label: steps.map(step => step.label).join(', then '),
      apply: data => steps.reduce<Dataset | null>((current, step) => current === null ? null : step.apply(current), data)
    }
  }
}
