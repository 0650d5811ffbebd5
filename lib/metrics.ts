// Domain metrics: what the product does, next to Platformatic's own metrics
// on the runtime's Prometheus endpoint (METRICS_PORT /metrics). Platformatic
// gives each application a prom-client registry (globalThis.platformatic
// .prometheus); metrics are made there on first use, by name, and found again
// after that (also after Platformatic clears the registry). Without a
// registry (a module used outside an application) every call does nothing.
// The runtime labels each series with its application (applicationId).

type Labels = Record<string, string>

interface MetricDefinition {
  name: string
  help: string
  type: 'counter' | 'histogram' | 'gauge'
  labelNames?: readonly string[]
  buckets?: readonly number[]
}

const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The one table of domain metrics; deploy/grafana/playground-dashboard.json queries only these (a test checks it). */
export const metrics = {
  // dbrunner
  sqlRuns: { name: 'playground_sql_runs_total', type: 'counter', labelNames: ['outcome'], help: 'SQL runs handed to the sandbox pool, by outcome: ok, query_error, timeout, limit (result or memory too large), schema_error, budget and busy (refused), engine_fault, runner_crash. Cache hits are not runs' },
  sqlRunSeconds: { name: 'playground_sql_run_duration_seconds', type: 'histogram', labelNames: ['outcome'], buckets: secondsBuckets, help: 'Time of a SQL run in the sandbox pool, from submission to result (queue wait included); refused runs are not observed' },
  runCache: { name: 'playground_run_cache_lookups_total', type: 'counter', labelNames: ['result'], help: 'Lookups of a run in the result cache: hit or miss' },
  runnerQueueLength: { name: 'playground_runner_queue_length', type: 'gauge', help: 'SQL runs waiting for a sandbox worker' },
  runnerQueueWaitSeconds: { name: 'playground_runner_queue_wait_seconds', type: 'histogram', buckets: secondsBuckets, help: 'How long a SQL run waited for a sandbox worker' },
  runnerWorkers: { name: 'playground_runner_workers', type: 'gauge', labelNames: ['state'], help: 'Sandbox workers: started (or starting) and busy' },
  runnerWorkerRestarts: { name: 'playground_runner_worker_restarts_total', type: 'counter', help: 'Sandbox workers replaced (timeouts, crashes, engine faults, memory bound); idle retirements are not counted' },
  // questions
  compares: { name: 'playground_compares_total', type: 'counter', labelNames: ['verdict'], help: 'Compares graded, by verdict: correct, or the reason it differs (columns_differ, row_count_differs, order_differs, values_differ, fails_on_a_hidden_dataset)' },
  submissions: { name: 'playground_submissions_total', type: 'counter', labelNames: ['correct'], help: 'Submissions recorded (every compare by a signed-in user), correct true or false' },
  pointsAwarded: { name: 'playground_points_awarded_total', type: 'counter', labelNames: ['reason'], help: 'Points given: welcome (new users) and solved (first correct submission of a question)' },
  pointsSpent: { name: 'playground_points_spent_total', type: 'counter', labelNames: ['reason'], help: 'Points spent: solution (opening a solution the first time)' },
  referenceFailures: { name: 'playground_reference_failures_total', type: 'counter', labelNames: ['stage'], help: 'Runs refused because the question itself is broken: its reference answer (answer) or its schema or dataset SQL (schema) fails' },
  // gateway (api, runs, compares) and questions (compares_per_question)
  rateLimited: { name: 'playground_rate_limited_total', type: 'counter', labelNames: ['limit'], help: 'Requests refused with 429 by a rate limit: api, runs, compares (per user a minute), compares_per_question (per user and question an hour)' }
} as const satisfies Record<string, MetricDefinition>

export type MetricName = keyof typeof metrics

interface Metric {
  inc: (labels: Labels, value?: number) => void
  observe: (labels: Labels, value: number) => void
  set: (labels: Labels, value: number) => void
  reset: () => void
}

interface Prometheus {
  client: Record<'Counter' | 'Histogram' | 'Gauge', new (options: Record<string, unknown>) => Metric>
  registry: { getSingleMetric: (name: string) => Metric | undefined }
}

const prometheus = () => (globalThis as { platformatic?: { prometheus?: Prometheus } }).platformatic?.prometheus

// Values read when Prometheus scrapes (pool sizes, restarts), by metric name.
const readers = new Map<string, () => Record<string, number>>()

function metric (definition: MetricDefinition): Metric | undefined {
  const prom = prometheus()
  if (prom === undefined) return undefined
  const existing = prom.registry.getSingleMetric(definition.name)
  if (existing !== undefined) return existing
  // A new registry (the first use, or Platformatic cleared it): the
  // read-at-scrape metrics are made again with it.
  for (const other of readers.keys()) {
    if (other !== definition.name && prom.registry.getSingleMetric(other) === undefined) make(prom, definitionOf(other))
  }
  return make(prom, definition)
}

const definitionOf = (name: string): MetricDefinition => Object.values(metrics).find(definition => definition.name === name)!

function make (prom: Prometheus, definition: MetricDefinition): Metric {
  const { name, help, labelNames = [], buckets } = definition
  const Type = { counter: prom.client.Counter, histogram: prom.client.Histogram, gauge: prom.client.Gauge }[definition.type]
  return new Type({
    name,
    help,
    labelNames,
    registers: [prom.registry],
    ...(buckets === undefined ? {} : { buckets }),
    ...(readers.has(name) ? { collect: collectFrom(name) } : {})
  })
}

// Sets each series of a read-at-scrape metric to what its reader says; a
// counter read that way (worker restarts) is the source's own running total.
function collectFrom (name: string) {
  return function (this: Metric) {
    const values = readers.get(name)?.() ?? {}
    this.reset()
    for (const [series, value] of Object.entries(values)) {
      const labels = series === '' ? {} : Object.fromEntries(series.split(',').map(pair => pair.split('=')))
      if ('set' in this && typeof this.set === 'function') this.set(labels, value)
      else this.inc(labels, value)
    }
  }
}

export function count (name: MetricName, labels: Labels = {}, value = 1): void {
  metric(metrics[name])?.inc(labels, value)
}

export function observe (name: MetricName, value: number, labels: Labels = {}): void {
  metric(metrics[name])?.observe(labels, value)
}

/**
 * Makes a metric read its series from `read` whenever Prometheus scrapes:
 * series are keyed `label=value,label=value` ('' for no labels). Returns
 * what stops it (the source is going away).
 */
export function readAtScrape (name: MetricName, read: () => Record<string, number>): () => void {
  const definition = metrics[name]
  readers.set(definition.name, read)
  metric(definition)
  return () => {
    if (readers.get(definition.name) === read) readers.delete(definition.name)
  }
}

/** A label value from free text, as Prometheus names go: `values differ` -> `values_differ`. */
export function labelValue (text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')
}
