// A schema's tables as text: columns, declared types, and marks for primary
// keys, foreign keys (with what they refer to) and NOT NULL. The text
// alternative of the diagram, and the students' view of a schema.
import type { Structure } from './api.ts'
import { h, plural } from './dom.ts'

type Table = Structure['tables'][number]

/** column name -> "table.column" it refers to, for one table */
export function referencesOf (table: Table): Map<string, string> {
  const references = new Map<string, string>()
  for (const key of table.foreign_keys ?? []) {
    key.from.forEach((column, i) => references.set(column, `${key.table}.${key.to[i] ?? '?'}`))
  }
  return references
}

export function structureView (structure: Structure): HTMLElement {
  return h('div', { class: 'structure' }, structure.tables.map(table => {
    const references = referencesOf(table)
    return h('details', { class: 'table-def', open: true },
      h('summary', {}, h('code', {}, table.name), ' ', h('span', { class: 'muted' }, plural(table.columns.length, 'column'))),
      h('table', { class: 'columns' },
        h('thead', { class: 'visually-hidden' }, h('tr', {}, h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Notes'))),
        h('tbody', {}, table.columns.map(column => {
          const target = references.get(column.name)
          return h('tr', {},
            h('td', {}, h('code', {}, column.name)),
            h('td', { class: 'col-type' }, column.type || 'any'),
            h('td', { class: 'col-flags' },
              column.primary_key && h('abbr', { class: 'flag', title: 'primary key' }, 'PK'),
              target && h('abbr', { class: 'flag flag-fk', title: `foreign key: refers to ${target}` }, 'FK'),
              column.not_null && !column.primary_key && h('abbr', { class: 'flag', title: 'not null' }, 'NN')))
        }))))
  }))
}
