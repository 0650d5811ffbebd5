import t from 'tap'
import { readFile } from 'node:fs/promises'
import { metrics } from '../../lib/metrics.ts'

interface Target { refId: string, expr: string, datasource?: { type?: string, uid?: string } }
interface Panel { id: number, type: string, title: string, datasource?: { type?: string, uid?: string }, targets?: Target[], gridPos?: object }

const dashboard = JSON.parse(await readFile(new URL('../../deploy/grafana/playground-dashboard.json', import.meta.url), 'utf8')) as {
  uid: string
  title: string
  templating: { list: { name: string, type: string, query: string }[] }
  panels: Panel[]
}
const definitions = Object.values(metrics)
const byName = new Map<string, (typeof definitions)[number]>(definitions.map(definition => [definition.name, definition]))
const queried = dashboard.panels.filter(panel => panel.type !== 'row')
const expressions = queried.flatMap(panel => (panel.targets ?? []).map(target => ({ panel: panel.title, expr: target.expr })))

// A histogram is queried through its _bucket, _sum and _count series.
function definitionOf (series: string) {
  return byName.get(series) ?? byName.get(series.replace(/_(bucket|sum|count)$/, ''))
}

t.test('the dashboard is a Grafana dashboard on a Prometheus data source chosen by variable', async t => {
  t.type(dashboard.uid, 'string')
  t.type(dashboard.title, 'string')
  const variable = dashboard.templating.list.find(item => item.type === 'datasource')
  t.match(variable, { name: 'datasource', query: 'prometheus' })
  t.ok(queried.length >= 10, 'panels')
  t.equal(new Set(dashboard.panels.map(panel => panel.id)).size, dashboard.panels.length, 'panel ids are unique')
  for (const panel of queried) {
    t.same(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, `${panel.title} reads the chosen data source`)
    t.ok((panel.targets ?? []).length > 0, `${panel.title} has a query`)
    t.ok(panel.gridPos, `${panel.title} has a place`)
  }
})

t.test('every metric the dashboard queries is defined in lib/metrics.ts, with its labels', async t => {
  for (const { panel, expr } of expressions) {
    const series = [...expr.matchAll(/\b(playground_[a-z_]+)\b/g)].map(match => match[1])
    t.ok(series.length > 0, `${panel}: queries a playground metric`)
    for (const name of series) {
      const definition = definitionOf(name)
      t.ok(definition, `${panel}: ${name} is defined`)
      if (definition === undefined) continue
      if (name !== definition.name) t.equal(definition.type, 'histogram', `${panel}: ${name} is a series of a histogram`)
      const known = new Set<string>([...('labelNames' in definition ? definition.labelNames : []), 'le', 'applicationId', 'workerId'])
      const used = [...expr.matchAll(/\bby \(([^)]*)\)|\{([^}]*)\}/g)]
        .flatMap(match => (match[1] ?? match[2].replace(/"[^"]*"/g, '')).split(','))
        .map(label => label.replace(/[=~!].*$/, '').trim())
        .filter(label => label !== '')
      for (const label of used) t.ok(known.has(label), `${panel}: ${name} has the label ${label}`)
    }
  }
})

t.test('and every metric of lib/metrics.ts is on the dashboard', async t => {
  const all = expressions.map(({ expr }) => expr).join('\n')
  for (const definition of definitions) t.ok(all.includes(definition.name), `${definition.name} is shown`)
})
