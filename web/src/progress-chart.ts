// The learner's balance after each change of points, as a small step chart
// (SVG, drawn here: one line, two labels). Changes are spaced evenly: several
// often happen within a minute, and a time axis would pile them up.
import type { PointChange } from './api.ts'
import { h, s } from './dom.ts'

const width = 560
const height = 120
const pad = { left: 40, right: 12, top: 10, bottom: 22 }

export function balanceChart (ledger: PointChange[]): HTMLElement | null {
  if (ledger.length === 0) return null
  // The ledger comes newest first.
  const changes = [...ledger].reverse()
  const balances: number[] = []
  let balance = 0
  for (const change of changes) balances.push(balance += change.amount)
  // Round tens around the balances: a change of 10 on 100 points must show.
  const low = Math.floor((Math.min(...balances) - 1) / 10) * 10
  const high = Math.max(Math.ceil((Math.max(...balances) + 1) / 10) * 10, low + 10)
  const x = (i: number) => pad.left + (changes.length === 1 ? 0 : (i / (changes.length - 1)) * (width - pad.left - pad.right))
  const y = (value: number) => pad.top + (1 - (value - low) / (high - low)) * (height - pad.top - pad.bottom)
  let path = `M ${x(0)} ${y(balances[0] as number)}`
  balances.forEach((value, i) => { if (i > 0) path += ` H ${x(i)} V ${y(value)}` })
  const last = balances[balances.length - 1] as number
  const date = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' })
  const summary = `Your balance went from ${balances[0]} to ${last} points over ${changes.length} change${changes.length === 1 ? '' : 's'}.`
  return h('figure', { class: 'balance-chart' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary, width: '100%' },
      s('line', { x1: pad.left, x2: width - pad.right, y1: y(low), y2: y(low), class: 'axis' }),
      s('text', { x: pad.left - 6, y: y(high) + 4, 'text-anchor': 'end', class: 'chart-label' }, String(high)),
      s('text', { x: pad.left - 6, y: y(low) + 4, 'text-anchor': 'end', class: 'chart-label' }, String(low)),
      s('path', { d: path, class: 'balance-line' }),
      balances.map((value, i) => s('circle', { cx: x(i), cy: y(value), r: 3, class: 'balance-dot' }, s('title', {}, `${value} points`))),
      s('text', { x: pad.left, y: height - 6, class: 'chart-label' }, date(changes[0]!.created_at)),
      s('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'chart-label' }, date(changes[changes.length - 1]!.created_at))),
    h('figcaption', { class: 'muted' }, summary))
}
