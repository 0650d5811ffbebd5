// Bench scenarios of grading: the quality report of a question with 4 hidden
// datasets (100 mutants at most), computed from scratch and from cached
// runs, and a compare on a question without and with 4 hidden datasets.
import type pg from 'pg'
import type { Redis } from 'ioredis'
import { httpLoad, round, type Measure } from './measure.ts'

interface Bench {
  gateway: (path: string) => string
  post: (path: string, authorization: string, body: unknown) => Promise<{ status: number, body: Record<string, any> }>
  token: (sub: string, scope?: string) => Promise<string>
  pool: pg.Pool
  redis: Redis
}

const ANSWER = "SELECT c.name, count(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status <> 'cancelled' GROUP BY c.id, c.name HAVING count(o.id) >= 1 ORDER BY orders DESC, c.name"

async function timed<T> (fn: () => Promise<T>): Promise<{ value: T, ms: number }> {
  const started = performance.now()
  const value = await fn()
  return { value, ms: round(performance.now() - started, 1) }
}

async function call (url: string, authorization: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, headers: { authorization, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers } })
  const body = await response.json() as Record<string, any>
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

export async function measureGrading (b: Bench) {
  const teacher = await b.token('bench-teacher', 'read:question challenge write:resource')
  const created = await b.post('/questions', teacher, { schema_id: 'shop', type: 'aggregation', difficulty: 'medium', title: `Bench: orders per customer ${Date.now()}`, description: 'bench', answer: ANSWER })
  if (created.status !== 201) throw new Error(`creating the bench question: ${created.status} ${JSON.stringify(created.body)}`)
  const id = created.body.id as string
  // Up to 4 hidden datasets: the one it got, and proposals.
  const proposals = await call(b.gateway(`/questions/${id}/datasets/generate`), teacher, { method: 'POST' }) as { datasets: { initial_sql: string }[] }
  for (const dataset of proposals.datasets.slice(0, 3)) await b.post(`/questions/${id}/datasets`, teacher, { initial_sql: dataset.initial_sql })
  const { rows: [{ n: datasets }] } = await b.pool.query('SELECT count(*)::int AS n FROM hidden_datasets WHERE question_id = $1', [id])

  // From scratch: nothing of the question in the result cache.
  await b.redis.flushall()
  const cold = await timed(() => call(b.gateway(`/questions/${id}/quality`), teacher))
  const cached: number[] = []
  for (let i = 0; i < 10; i++) cached.push((await timed(() => call(b.gateway(`/questions/${id}/quality`), teacher))).ms)
  cached.sort((x, y) => x - y)

  // Compares of one cached run: on a question with no hidden dataset, and on
  // this one with 4.
  const student = await b.token('bench-grader', 'read:question challenge')
  const plain = await b.post('/questions', teacher, { schema_id: 'shop', type: 'aggregation', difficulty: 'medium', title: `Bench: no hidden data ${Date.now()}`, description: 'bench', answer: ANSWER })
  await b.pool.query('DELETE FROM hidden_datasets WHERE question_id = $1', [plain.body.id])
  const compares: Record<string, Measure> = {}
  for (const [label, questionID] of [['without_datasets', plain.body.id], ['with_4_datasets', id]] as const) {
    const run = await b.post('/challenges', student, { questionID, query: ANSWER.replace('c.name, count(o.id)', 'c.name AS customer, count(o.id)') })
    if (run.status !== 200) throw new Error(`run for the compare bench: ${run.status}`)
    const url = b.gateway(`/challenges/${run.body.challengeID}/compare`)
    await httpLoad({ url, headers: { authorization: student }, durationS: 1 })
    compares[label] = await httpLoad({ url, headers: { authorization: student } })
  }
  const report = cold.value as { mutants: { total: number, score: number } }
  return {
    question: { datasets, mutants: report.mutants.total, score: report.mutants.score },
    quality_report_cold_ms: cold.ms,
    quality_report_cached_p50_ms: cached[Math.floor(cached.length / 2)],
    quality_report_cached_max_ms: cached.at(-1),
    compare: compares
  }
}
