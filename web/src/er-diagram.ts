// An entity-relationship diagram drawn from a schema's structure as SQLite
// reads it (tables, columns, primary and foreign keys): a box per table, a
// line per foreign key, from the referring column (crow's foot: many) to the
// column referred to (bars: one). Tables that others refer to stand left of
// the tables that refer to them. Plain SVG, nothing to load.
import './er-diagram.css'
import type { Structure } from './api.ts'
import { h, s } from './dom.ts'

type Table = Structure['tables'][number]

const charWidth = 7.4 // of the 12px monospace text, a little generous
const rowHeight = 20
const headerHeight = 28
const layerGap = 96
const boxGap = 28
const margin = 16

interface Box { table: Table, x: number, y: number, width: number, height: number, layer: number }

// Key marks (PK, FK, or both) stand in a gutter left of the column names.
const gutter = 44

function boxWidth (table: Table): number {
  const widest = Math.max(table.name.length, ...table.columns.map(column => column.name.length + 2 + (column.type || 'any').length))
  return Math.max(140, gutter + Math.ceil(widest * charWidth) + 16)
}

// A table's layer: 0 when it refers to no other table, else one right of the
// rightmost table it refers to. Cycles are cut where they are met.
function layers (tables: Table[]): Map<string, number> {
  const byName = new Map(tables.map(table => [table.name, table]))
  const layer = new Map<string, number>()
  const visiting = new Set<string>()
  const visit = (name: string): number => {
    const known = layer.get(name)
    if (known !== undefined) return known
    if (visiting.has(name)) return 0
    visiting.add(name)
    const parents = (byName.get(name)?.foreign_keys ?? []).map(key => key.table).filter(parent => parent !== name && byName.has(parent))
    const value = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(visit))
    visiting.delete(name)
    layer.set(name, value)
    return value
  }
  for (const table of tables) visit(table.name)
  return layer
}

function layout (tables: Table[], top: number): { boxes: Map<string, Box>, width: number, height: number } {
  const layerOf = layers(tables)
  const columns: Table[][] = []
  for (const table of tables) (columns[layerOf.get(table.name) ?? 0] ??= []).push(table)
  // Order each layer by where the tables it refers to stand, so lines cross less.
  const order = new Map<string, number>()
  columns.forEach(column => {
    const place = (table: Table) => {
      const parents = (table.foreign_keys ?? []).map(key => order.get(key.table)).filter((value): value is number => value !== undefined)
      return parents.length === 0 ? Number.POSITIVE_INFINITY : parents.reduce((sum, value) => sum + value, 0) / parents.length
    }
    column.sort((a, b) => (place(a) - place(b)) || a.name.localeCompare(b.name))
    column.forEach((table, i) => order.set(table.name, i))
  })
  const heights = columns.map(column => column.reduce((sum, table) => sum + headerHeight + table.columns.length * rowHeight + 8, 0) + boxGap * Math.max(0, column.length - 1))
  const tallest = Math.max(0, ...heights)
  const boxes = new Map<string, Box>()
  let x = margin
  columns.forEach((column, layer) => {
    const width = Math.max(...column.map(boxWidth))
    let y = top + (tallest - (heights[layer] ?? 0)) / 2
    for (const table of column) {
      const height = headerHeight + table.columns.length * rowHeight + 8
      boxes.set(table.name, { table, x, y, width, height, layer })
      y += height + boxGap
    }
    x += width + layerGap
  })
  return { boxes, width: x - layerGap + margin, height: top + tallest + margin }
}

const rowY = (box: Box, column: string) => {
  const index = Math.max(0, box.table.columns.findIndex(candidate => candidate.name === column))
  return box.y + headerHeight + index * rowHeight + rowHeight / 2 + 2
}

function markers (): SVGDefsElement {
  // +x points into the box the line touches (orient auto-start-reverse).
  return s('defs', {},
    s('marker', { id: 'er-many', viewBox: '-14 -8 16 16', refX: 0, refY: 0, markerWidth: 16, markerHeight: 16, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
      s('path', { d: 'M -12 0 L 0 -6 M -12 0 L 0 0 M -12 0 L 0 6', class: 'er-mark' })),
    s('marker', { id: 'er-one', viewBox: '-14 -8 16 16', refX: 0, refY: 0, markerWidth: 16, markerHeight: 16, markerUnits: 'userSpaceOnUse', orient: 'auto' },
      s('path', { d: 'M -5 -6 L -5 6 M -9 -6 L -9 6', class: 'er-mark' })))
}

// Lanes above the boxes for lines that pass over a layer between their ends.
const laneGap = 10
const skipsLayers = (child: Box, parent: Box) => Math.abs(child.layer - parent.layer) > 1

function edgePath (child: Box, parent: Box, fromColumn: string, toColumn: string, lane: number): string {
  const y1 = rowY(child, fromColumn)
  const y2 = rowY(parent, toColumn)
  if (skipsLayers(child, parent)) {
    // Out into the gap beside each end, up to its own lane, across, and down.
    const laneY = margin + lane * laneGap
    const left = parent.layer < child.layer
    const x1 = left ? child.x : child.x + child.width
    const x2 = left ? parent.x + parent.width : parent.x
    const step = (left ? -1 : 1) * (18 + lane * 6)
    return `M ${x1} ${y1} H ${x1 + step} V ${laneY} H ${x2 - step} V ${y2} H ${x2}`
  }
  if (parent.layer < child.layer) {
    const x1 = child.x
    const x2 = parent.x + parent.width
    const bend = Math.max(30, (x1 - x2) / 2)
    return `M ${x1} ${y1} C ${x1 - bend} ${y1}, ${x2 + bend} ${y2}, ${x2} ${y2}`
  }
  if (parent.layer > child.layer) {
    const x1 = child.x + child.width
    const x2 = parent.x
    const bend = Math.max(30, (x2 - x1) / 2)
    return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`
  }
  // The same layer (or the table itself): a loop out to the right.
  const x1 = child.x + child.width
  const x2 = parent.x + parent.width
  const reach = Math.max(x1, x2) + 36 + Math.abs(y2 - y1) / 6
  return `M ${x1} ${y1} C ${reach} ${y1}, ${reach} ${y2}, ${x2} ${y2}`
}

function tableBox (box: Box): SVGGElement {
  const { table } = box
  const foreign = new Set((table.foreign_keys ?? []).flatMap(key => key.from))
  return s('g', { class: 'er-table', 'data-table': table.name },
    s('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 6, class: 'er-box' }),
    s('path', { d: `M ${box.x} ${box.y + headerHeight} H ${box.x + box.width}`, class: 'er-rule' }),
    s('text', { x: box.x + 10, y: box.y + 19, class: 'er-name' }, table.name),
    table.columns.map((column, i) => {
      const y = box.y + headerHeight + i * rowHeight + 15
      return s('g', { class: 'er-column', 'data-column': column.name },
        column.primary_key && s('text', { x: box.x + 8, y, class: 'er-key er-key-pk' }, 'PK'),
        foreign.has(column.name) && s('text', { x: box.x + 25, y, class: 'er-key er-key-fk' }, 'FK'),
        s('text', { x: box.x + gutter, y, class: column.not_null || column.primary_key ? 'er-column-name er-required' : 'er-column-name' }, column.name),
        s('text', { x: box.x + box.width - 10, y, 'text-anchor': 'end', class: 'er-type' }, column.type || 'any'))
    }))
}

/** The diagram, with a text equivalent (its relations) for screen readers. */
export function erDiagram (structure: Structure): HTMLElement {
  if (structure.tables.length === 0) return h('p', { class: 'muted' }, 'This schema creates no tables.')
  // Room above the boxes for one lane per line that passes over a layer.
  const layerOf = layers(structure.tables)
  const long = structure.tables.flatMap(table => (table.foreign_keys ?? [])
    .filter(key => layerOf.has(key.table) && Math.abs((layerOf.get(key.table) ?? 0) - (layerOf.get(table.name) ?? 0)) > 1)).length
  const { boxes, width, height } = layout(structure.tables, margin + long * laneGap + (long > 0 ? laneGap : 0))
  const relations: string[] = []
  const edges: SVGPathElement[] = []
  let lane = 0
  for (const box of boxes.values()) {
    for (const key of box.table.foreign_keys ?? []) {
      const parent = boxes.get(key.table)
      relations.push(`${box.table.name}.${key.from.join(', ')} refers to ${key.table}.${key.to.join(', ') || '?'}`)
      if (!parent) continue
      edges.push(s('path', {
        d: edgePath(box, parent, key.from[0] ?? '', key.to[0] ?? '', skipsLayers(box, parent) ? lane++ : 0),
        class: 'er-edge',
        'data-from': `${box.table.name}.${key.from.join(',')}`,
        'data-to': `${key.table}.${key.to.join(',')}`,
        'marker-start': 'url(#er-many)',
        'marker-end': 'url(#er-one)'
      }))
    }
  }
  const description = `${boxes.size} table${boxes.size === 1 ? '' : 's'}. ${relations.length === 0 ? 'No foreign keys.' : `${relations.join('; ')}.`}`
  // Extra room on the right for loops between tables of the same layer.
  const svg = s('svg', { class: 'er-diagram', width: width + 60, height, viewBox: `0 0 ${width + 60} ${height}`, role: 'img', 'aria-labelledby': 'er-title er-desc' },
    s('title', { id: 'er-title' }, `Entity-relationship diagram of schema ${structure.id}`),
    s('desc', { id: 'er-desc' }, description),
    markers(),
    edges,
    [...boxes.values()].map(tableBox))
  return h('div', { class: 'er-wrap', tabindex: '0', role: 'region', 'aria-label': 'Diagram (scrolls)' }, svg)
}
