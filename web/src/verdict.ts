// The comparison with the reference answer: the verdict, the API's hint,
// the first rows that differ, and, when the query fails only on hidden data,
// the counterexample the API made from the visible rows.
import type { Cell, Counterexample, QueryResult, Verdict } from './api.ts'
import { h, plural } from './dom.ts'

export function cell (value: Cell): HTMLElement {
  // SQL NULL must not look like the text 'NULL'.
  return value === null
    ? h('td', { class: 'is-null' }, h('span', { class: 'null-badge', title: 'SQL NULL' }, 'null'))
    : h('td', {}, value)
}

export function resultTable (result: QueryResult, label = 'Query result'): HTMLElement {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label },
    h('table', { class: 'result-table' },
      h('thead', {}, h('tr', {}, result.header.map(name => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, result.rows.map(row => h('tr', {}, row.map(cell))))))
}

export function rowTable (caption: string, row: Cell[] | null | undefined, other: Cell[] | null | undefined, header: string[] | undefined, className: string): HTMLElement {
  const width = row?.length ?? 0
  const names = header && header.length === width ? header : Array.from({ length: width }, (_, i) => `column ${i + 1}`)
  // Columns compare by position: mark the cells that differ from the other side.
  const marked = (value: Cell, i: number) => {
    const td = cell(value)
    if (other && other[i] !== value) td.classList.add('cell-differs')
    return td
  }
  return h('figure', { class: `diff-side ${className}` },
    h('figcaption', {}, caption),
    row
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'result-table' },
        h('thead', {}, h('tr', {}, names.map(name => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, h('tr', {}, row.map(marked)))))
      : h('p', { class: 'muted' }, 'no such row on this side'))
}

function rowsTable (caption: string, rows: Cell[][], header: string[] | undefined): HTMLElement {
  const width = rows[0]?.length ?? 0
  const names = header && header.length === width ? header : Array.from({ length: width }, (_, i) => `column ${i + 1}`)
  return h('figure', { class: 'diff-side' },
    h('figcaption', {}, `${caption} · ${plural(rows.length, 'row')}`),
    rows.length > 0 ? resultTable({ header: names, rows }, caption) : h('p', { class: 'muted' }, 'no rows'))
}

function counterexampleView (example: Counterexample, header: string[] | undefined): HTMLElement {
  return h('div', { class: 'counterexample' },
    h('p', {}, h('strong', {}, 'A counterexample: '), 'on this small dataset, made from the visible rows only, your query and the reference answer differ.'),
    h('details', {}, h('summary', {}, 'The dataset (SQL)'), h('pre', { class: 'sql-block' }, h('code', {}, example.initial_sql))),
    h('div', { class: 'diff-rows' },
      rowsTable('Expected there', example.expected_rows, undefined),
      example.actual_rows === null
        ? h('figure', { class: 'diff-side' }, h('figcaption', {}, 'Yours there'), h('p', { class: 'error' }, example.actual_error ?? 'your query fails on it'))
        : rowsTable('Yours there', example.actual_rows, header)))
}

export function verdictView (verdict: Verdict, header: string[] | undefined): HTMLElement {
  if (verdict.same) {
    return h('div', { class: 'verdict verdict-same' },
      h('p', { class: 'verdict-title' }, '✓ Same result as the reference answer. Well done!'))
  }
  const reason = verdict.reason ?? 'results differ'
  const showRows = verdict.expected_row !== undefined || verdict.actual_row !== undefined
  return h('div', { class: 'verdict verdict-different' },
    h('p', { class: 'verdict-title' }, `✗ Not the same: ${reason}`),
    // The hint comes with the verdict: the API has the one list of them.
    h('p', { class: 'verdict-reason' }, verdict.hint ?? ''),
    showRows && h('div', { class: 'diff' },
      h('p', { class: 'muted' }, 'The first rows that differ:'),
      h('div', { class: 'diff-rows' },
        rowTable('Expected (reference answer)', verdict.expected_row, verdict.actual_row, undefined, 'expected'),
        rowTable('Yours', verdict.actual_row, verdict.expected_row, header, 'actual'))),
    verdict.counterexample && counterexampleView(verdict.counterexample, header))
}
