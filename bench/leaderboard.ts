// Scenario 7 of the bench: GET /leaderboard with 10,000 learners. Their
// solves are inserted by SQL into the ledger, so the summary is kept by the
// same trigger that keeps it in production; then the first page of each
// period and ranking is measured through the gateway, against the questions
// service alone and the same SQL on a bare pg pool; and a deep page
// (offset 5,000) through the gateway and bare.
//
// `node bench/leaderboard.ts` runs this scenario alone on a system of its own
// and writes bench/results/leaderboard.json; `npm run bench` runs it with the
// others and writes it into bench/results/latest.json.
import type { Request } from 'autocannon'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { CONNECTIONS, DURATION_S, WARMUP_S, concurrentLoop, httpLoad, ratio, round, type Measure } from './measure.ts'
import { startBenchSystem, type BenchSystem, type Cleanups } from './system.ts'

export const LEARNERS = 10_000
const PAGE = 20
const DEEP = { offset: 5000, limit: 100 }

const pages = (['day', 'week', 'all'] as const).flatMap(period => (['points', 'solved'] as const).map(by => ({ period, by })))
type Page = typeof pages[number]

// The statement the service runs (services/questions/lib/leaderboard.ts), with pg's parameters.
const periodStart = `CASE $1::text WHEN 'day' THEN (now() AT TIME ZONE 'UTC')::date
  WHEN 'week' THEN date_trunc('week', now() AT TIME ZONE 'UTC')::date ELSE '-infinity'::date END`
const leaderboardSql = {
  points: `SELECT e.user_id, u.display_name, e.points, e.solved FROM (
      SELECT user_id, points, solved, points_reached_at FROM leaderboard_entries WHERE period = $1 AND starts = ${periodStart}
      ORDER BY points DESC, points_reached_at, user_id LIMIT $2 OFFSET $3
    ) e JOIN users u ON u.id = e.user_id ORDER BY e.points DESC, e.points_reached_at, e.user_id`,
  solved: `SELECT e.user_id, u.display_name, e.points, e.solved FROM (
      SELECT user_id, solved, points, solved_reached_at FROM leaderboard_entries WHERE period = $1 AND starts = ${periodStart}
      ORDER BY solved DESC, solved_reached_at, user_id LIMIT $2 OFFSET $3
    ) e JOIN users u ON u.id = e.user_id ORDER BY e.solved DESC, e.solved_reached_at, e.user_id`
}

const path = (page: Page, limit = PAGE, offset = 0) => `/leaderboard?period=${page.period}&by=${page.by}&limit=${limit}&offset=${offset}`

/** 10,000 learners (half with a display name), each solving each question with probability 0.4 at a random time in the last 60 days. */
async function seedLearners (pool: pg.Pool) {
  const started = performance.now()
  await pool.query(`INSERT INTO users (id, display_name)
    SELECT format('bench-learner-%s', lpad(n::text, 5, '0')), CASE WHEN n % 2 = 0 THEN format('Learner number %s', n) END
    FROM generate_series(1, ${LEARNERS}) AS n`)
  const client = await pool.connect()
  try {
    // The same data every run.
    await client.query('SELECT setseed(0.42)')
    await client.query(`INSERT INTO point_ledger (user_id, amount, reason, question_id, created_at)
      SELECT u.id, CASE q.difficulty WHEN 'easy' THEN 10 WHEN 'medium' THEN 20 ELSE 30 END, 'solved', q.id, now() - random() * interval '60 days'
      FROM users u CROSS JOIN questions q WHERE u.id LIKE 'bench-learner-%' AND random() < 0.4`)
  } finally {
    client.release()
  }
  const seconds = round((performance.now() - started) / 1000, 1)
  // As autovacuum leaves a table that was written in bulk.
  await pool.query('VACUUM ANALYZE users, point_ledger, leaderboard_entries')
  const { rows: [counts] } = await pool.query(`SELECT (SELECT count(*)::int FROM point_ledger WHERE reason = 'solved') AS ledger_rows,
    (SELECT count(*)::int FROM leaderboard_entries) AS summary_rows,
    (SELECT count(*)::int FROM leaderboard_entries WHERE period = 'all') AS ranked_all_time`)
  return { learners: LEARNERS, ...counts, insert_seconds: seconds }
}

function rotating (paths: string[]): Request['setupRequest'] {
  let next = 0
  return request => ({ ...request, path: paths[next++ % paths.length] })
}

export async function leaderboardScenario (s: BenchSystem, pool: pg.Pool, authorization: string, say: (line: string) => void): Promise<Record<string, unknown>> {
  const data = await seedLearners(pool)
  say(`   ${data.learners} learners, ${data.ledger_rows} solves in the ledger, ${data.summary_rows} summary rows (inserted in ${data.insert_seconds} s)`)
  const headers = { authorization }
  const gateway = s.systemUrl
  // Every variant answers the same page.
  for (const page of pages) {
    const response = await fetch(`${gateway}${path(page)}`, { headers })
    const body = await response.json() as { user: string }[]
    const direct = await (await fetch(`${s.directUrl}${path(page)}`)).json() as { user: string }[]
    const raw = (await pool.query(leaderboardSql[page.by], [page.period, PAGE, 0])).rows
    if (response.status !== 200 || body.length !== PAGE) throw new Error(`GET ${path(page)} answered ${response.status} with ${body.length} rows`)
    if (JSON.stringify(direct) !== JSON.stringify(body) || raw.length !== PAGE) throw new Error(`${path(page)}: the variants answer differently`)
  }
  const firstPages = pages.map(page => path(page))
  const measure = async (url: string, setupRequest: Request['setupRequest'], extra: Record<string, string> = {}, connections = CONNECTIONS) => {
    await httpLoad({ url, headers: extra, setupRequest, durationS: WARMUP_S, connections })
    return httpLoad({ url, headers: extra, setupRequest, connections })
  }
  let n = 0
  const rawFirstPage = () => {
    const page = pages[n++ % pages.length]!
    return pool.query(leaderboardSql[page.by], [page.period, PAGE, 0])
  }
  const deepPage = { period: 'all', by: 'solved' } as const
  const rawDeep = () => pool.query(leaderboardSql.solved, [deepPage.period, DEEP.limit, DEEP.offset])

  const viaGateway = await measure(`${gateway}/leaderboard`, rotating(firstPages), headers)
  const direct = await measure(`${s.directUrl}/leaderboard`, rotating(firstPages))
  await concurrentLoop(rawFirstPage, WARMUP_S)
  const raw = await concurrentLoop(rawFirstPage)
  const deepGateway = await measure(`${gateway}/leaderboard`, rotating([path(deepPage, DEEP.limit, DEEP.offset)]), headers)
  await concurrentLoop(rawDeep, WARMUP_S)
  const deepRaw = await concurrentLoop(rawDeep)
  // One request at a time: the latency of a request that does not queue
  // behind nine others on the machine's cores.
  const aloneGateway = await measure(`${gateway}/leaderboard`, rotating(firstPages), headers, 1)
  const aloneRaw = await concurrentLoop(rawFirstPage, DURATION_S, 1)
  return {
    data,
    pages: `the first ${PAGE} of each of ${pages.map(page => `${page.period}/${page.by}`).join(', ')}, in turn`,
    gateway: viaGateway,
    direct,
    raw_pg: raw,
    deep_page: { page: `period=all&by=solved&limit=${DEEP.limit}&offset=${DEEP.offset}`, gateway: deepGateway, raw_pg: deepRaw },
    one_connection: { gateway: aloneGateway, raw_pg: aloneRaw },
    ratio_gateway_to_direct: ratio(viaGateway.perSecond, direct.perSecond),
    ratio_gateway_to_raw: ratio(viaGateway.perSecond, raw.perSecond),
    p99_ratio_gateway_to_raw: ratio(viaGateway.p99Ms, raw.p99Ms)
  }
}

type Row = [string, string, Measure, string]

export function leaderboardRows (result: Record<string, any>): Row[] {
  return [
    ['8. GET /leaderboard, 10,000 learners', 'through the gateway', result.gateway, `gateway/direct ${result.ratio_gateway_to_direct}, gateway/raw ${result.ratio_gateway_to_raw}; ${result.data.ledger_rows} solves`],
    ['', 'questions service alone (HTTP)', result.direct, ''],
    ['', 'same SQL, bare pg', result.raw_pg, ''],
    ['   deep page (offset 5,000, 100 rows)', 'through the gateway', result.deep_page.gateway, ''],
    ['', 'same SQL, bare pg', result.deep_page.raw_pg, ''],
    ['   one request at a time', 'through the gateway', result.one_connection.gateway, '1 connection'],
    ['', 'same SQL, bare pg', result.one_connection.raw_pg, '1 connection']
  ]
}

// Alone: a system of its own, this scenario, bench/results/leaderboard.json.
async function main () {
  const cleanups: Cleanups = []
  const say = (line: string) => process.stderr.write(`[bench] ${line}\n`)
  const loadAtStart = loadavg().map(value => round(value, 2))
  try {
    const s = await startBenchSystem(cleanups)
    const pool = new pg.Pool({ connectionString: s.postgres.url, max: CONNECTIONS })
    cleanups.push(() => pool.end())
    const authorization = `Bearer ${await s.logto.token({ sub: 'bench-board', scope: 'read:question' })}`
    // For reference, in the same run: the first page of GET /questions (scenario 1 of npm run bench).
    await httpLoad({ url: `${s.systemUrl}/questions`, headers: { authorization }, durationS: WARMUP_S })
    const questionsList = await httpLoad({ url: `${s.systemUrl}/questions`, headers: { authorization } })
    say('7. GET /leaderboard')
    const result = { ...await leaderboardScenario(s, pool, authorization, say), reference_questions_list_gateway: questionsList }
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: availableParallelism(), cpu_model: cpus()[0]?.model ?? 'unknown', node: process.version, load_average_at_start: loadAtStart },
      method: { connections: CONNECTIONS, duration_s: DURATION_S, warmup_s: WARMUP_S },
      leaderboard: result
    }
    const dir = fileURLToPath(new URL('results', import.meta.url))
    await mkdir(dir, { recursive: true })
    const out = join(dir, 'leaderboard.json')
    await writeFile(`${out}.tmp`, JSON.stringify(report, null, 2) + '\n')
    await rename(`${out}.tmp`, out)
    process.stdout.write(['| Scenario | Variant | ops/s | p50 ms | p99 ms | failed | Notes |', '| --- | --- | ---: | ---: | ---: | ---: | --- |',
      ...[...leaderboardRows(result), ['reference: GET /questions', 'through the gateway', questionsList, 'scenario 1, same run'] as const]
        .map(([scenario, variant, m, notes]) => `| ${scenario} | ${variant} | ${m.perSecond} | ${m.p50Ms} | ${m.p99Ms} | ${m.failed} | ${notes} |`)].join('\n') + '\n')
    say(`figures written to ${out}`)
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch(error => say(`cleanup: ${error instanceof Error ? error.message : String(error)}`))
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main()
  process.exit(0)
}
