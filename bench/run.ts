// `npm run bench`: measures the system against the bare parts it is built
// from, each pair in the same run so their ratio holds on a noisy machine.
// See bench/README.md for the method. Everything it starts is private
// (temp dir, loopback, free ports) and stopped at the end.
import type { Request } from 'autocannon'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { inputHash, schemaKey } from '../services/dbrunner/lib/runs.ts'
import { normaliseQuery } from '../services/dbrunner/lib/normalise.ts'
import { buildImage, loadEngine, runQuery } from '../services/dbrunner/lib/sql-engine.ts'
import {
  CONNECTIONS, DURATION_S, MemorySampler, REQUEST_TIMEOUT_S, WARMUP_S,
  concurrentLoop, httpLoad, mib, ratio, round, serialLoop, treeRssKiB, type Measure
} from './measure.ts'
import { startBareRuntime, startBenchSystem, type Cleanups } from './system.ts'
import { stopChild } from '../launcher/child-process.ts'
import { measureGrading } from './grading.ts'
import { cpuPerRequest, sampleCpu } from './cpu.ts'
import { leaderboardRows, leaderboardScenario } from './leaderboard.ts'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
// When idle memory is read, after a start (of the project and of the floor).
const IDLE_AFTER_START_MS = 20_000
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`)

const QUESTIONS_SQL = 'SELECT "id", "schema_id", "type", "difficulty", "title", "description", "created_at", "updated_at" FROM "questions" ORDER BY "id" ASC LIMIT $1 OFFSET $2'
const CACHED_QUERY = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
const ROWS_1000_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT x, 'row ' || x FROM c"
// Distinct texts, so neither the result cache nor the remembered timeouts answer them.
const freshQuery = (n: number) => `SELECT name, price + ${n} FROM products`
const runawayQuery = (n: number) => `WITH RECURSIVE c(x) AS (SELECT ${n} UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c`

async function main () {
  const cleanups: Cleanups = []
  let cleaning: Promise<void> | undefined
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) await fn().catch(error => say(`cleanup: ${error instanceof Error ? error.message : String(error)}`))
    })()
    return cleaning
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { cleanUp().finally(() => process.exit(130)) })
  }

  const startedAt = new Date()
  const loadAtStart = loadavg().map(value => round(value, 2))
  try {
    const s = await startBenchSystem(cleanups)
    say(`runtime at ${s.systemUrl} (pid ${s.system.child.pid}), questions alone at ${s.directUrl}, PostgreSQL on ${s.postgres.port}, Redis on ${s.redis.port}`)
    const memory = new MemorySampler(s.system.child.pid as number, [s.postgres.process.pid as number, s.redis.process.pid as number])
    cleanups.push(async () => memory.stop())
    // A baseline before any load.
    memory.phase('idle_after_start')
    // The bare floor beside it: three trivial applications of the same kinds
    // with the same memory settings, and its db application alone.
    const bareDatabase = new URL(s.postgres.url)
    bareDatabase.pathname = '/bare'
    await new pg.Client({ connectionString: s.postgres.url }).connect().then(async client => { await client.query('CREATE DATABASE bare'); await client.end() })
    const bare = await startBareRuntime(cleanups, bareDatabase.toString(), false)
    const bareDirect = await startBareRuntime(cleanups, bareDatabase.toString(), true)
    // Idle memory of both at the same time after their start (it creeps for a
    // minute or so after a start, then settles).
    await new Promise(resolve => setTimeout(resolve, IDLE_AFTER_START_MS))
    const idleRuntimeKiB = treeRssKiB(s.system.child.pid as number)
    const idleBareKiB = treeRssKiB(bare.child.pid as number)

    const token = async (sub: string, scope = 'read:question challenge') => `Bearer ${await s.logto.token({ sub, scope })}`
    const json = (authorization: string) => ({ authorization, 'content-type': 'application/json' })
    const gateway = (path: string) => `${s.systemUrl}${path}`
    // New runs of one user, one after the other: how long each takes to answer.
    async function freshRuns (authorization: string, count: number): Promise<Measure> {
      const latencies: number[] = []
      let failed = 0
      const started = performance.now()
      for (let i = 0; i < count; i++) {
        const begin = performance.now()
        const { status } = await post('/challenges', authorization, { questionID: '1', query: freshQuery(1_000_000 + Math.floor(Math.random() * 1e9)) })
        latencies.push(performance.now() - begin)
        if (status !== 200) failed++
      }
      latencies.sort((a, b) => a - b)
      const at = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1)] ?? Number.NaN, 1)
      return { perSecond: round(count / ((performance.now() - started) / 1000), 1), p50Ms: at(50), p99Ms: at(99), ok: count - failed, failed, durationS: round((performance.now() - started) / 1000, 1) }
    }
    async function post (path: string, authorization: string, body: unknown) {
      const response = await fetch(gateway(path), { method: 'POST', headers: json(authorization), body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000) })
      return { status: response.status, body: await response.json() as Record<string, string> }
    }

    const results: Record<string, unknown> = {}

    // 1. GET /questions: gateway vs the questions service alone vs bare pg.
    say('1. GET /questions')
    memory.phase('questions')
    const readerHeaders = { authorization: await token('bench-reader', 'read:question') }
    const probe = await fetch(gateway('/questions'), { headers: readerHeaders })
    const probeBody = await probe.json() as unknown[]
    if (probe.status !== 200 || probeBody.length !== 10) throw new Error(`GET /questions through the gateway answered ${probe.status} with ${probeBody.length} items`)
    const directProbe = await (await fetch(`${s.directUrl}/questions`)).json() as unknown[]
    if (JSON.stringify(directProbe) !== JSON.stringify(probeBody)) throw new Error('the standalone questions service answers differently from the gateway')
    const pool = new pg.Pool({ connectionString: s.postgres.url, max: CONNECTIONS })
    cleanups.push(() => pool.end())
    const rawRows = (await pool.query(QUESTIONS_SQL, [10, 0])).rows
    if (rawRows.length !== 10) throw new Error('the bare query returned the wrong rows')

    await httpLoad({ url: gateway('/questions'), headers: readerHeaders, durationS: WARMUP_S })
    const cpuBefore = await sampleCpu(s.system.child.pid as number, s.metricsUrl)
    const viaGateway = await httpLoad({ url: gateway('/questions'), headers: readerHeaders })
    const cpu = cpuPerRequest(cpuBefore, await sampleCpu(s.system.child.pid as number, s.metricsUrl), viaGateway.ok + viaGateway.failed)
    await httpLoad({ url: `${s.directUrl}/questions`, durationS: WARMUP_S })
    const direct = await httpLoad({ url: `${s.directUrl}/questions` })
    await concurrentLoop(() => pool.query(QUESTIONS_SQL, [10, 0]), WARMUP_S)
    const raw = await concurrentLoop(() => pool.query(QUESTIONS_SQL, [10, 0]))
    // The same pair on the bare floor: a gateway over a db application, and that application alone.
    await httpLoad({ url: `${bare.url}/things/?limit=10`, durationS: WARMUP_S })
    const bareCpuBefore = await sampleCpu(bare.child.pid as number)
    const bareGateway = await httpLoad({ url: `${bare.url}/things/?limit=10` })
    const bareCpu = cpuPerRequest(bareCpuBefore, await sampleCpu(bare.child.pid as number), bareGateway.ok + bareGateway.failed)
    await httpLoad({ url: `${bareDirect.url}/things/?limit=10`, durationS: WARMUP_S })
    const bareAlone = await httpLoad({ url: `${bareDirect.url}/things/?limit=10` })
    await stopChild(bare.child)
    await stopChild(bareDirect.child)
    const bareRatio = ratio(bareGateway.perSecond, bareAlone.perSecond)
    results.questions_list = {
      gateway: viaGateway,
      direct,
      raw_pg: raw,
      bare_gateway: bareGateway,
      bare_direct: bareAlone,
      cpu_us_per_request: { project_through_gateway: cpu, bare_through_gateway: bareCpu },
      ratio_bare_gateway_to_direct: bareRatio,
      ratio_to_bare_ratio: ratio(ratio(viaGateway.perSecond, direct.perSecond), bareRatio),
      ratio_gateway_to_direct: ratio(viaGateway.perSecond, direct.perSecond),
      ratio_gateway_to_raw: ratio(viaGateway.perSecond, raw.perSecond),
      p99_ratio_gateway_to_direct: ratio(viaGateway.p99Ms, direct.p99Ms)
    }

    // 2. POST /challenges answered from the cache vs a bare ioredis loop.
    say('2. POST /challenges, cached')
    memory.phase('challenges_cached')
    const cachedAuth = await token('bench-cached')
    const cachedBody = JSON.stringify({ questionID: '1', query: CACHED_QUERY })
    // Ten learners, one per connection, as a class would send them (one user's
    // runs go one at a time, and their renewals of one challenge would queue).
    const learners = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => token(`bench-learner-${i}`)))
    let turn = 0
    const asLearner = (request: Request): Request => ({ ...request, headers: { ...request.headers, authorization: learners[turn++ % learners.length]! } })
    const primed = await post('/challenges', cachedAuth, JSON.parse(cachedBody))
    if (primed.status !== 200) throw new Error(`priming the cache failed: ${primed.status} ${JSON.stringify(primed.body)}`)
    const redis = new Redis(s.redis.url)
    cleanups.push(async () => redis.disconnect())
    const { rows: [shop] } = await pool.query("SELECT initial_sql FROM schemas WHERE id = 'shop'")
    const shopSql = shop.initial_sql as string
    // The same key the service reads first for a cached run.
    const runKey = `dbp:run:${inputHash(schemaKey(shopSql), normaliseQuery(CACHED_QUERY))}`
    if (await redis.exists(runKey) !== 1) throw new Error(`the cached run is not under ${runKey}`)
    await httpLoad({ url: gateway('/challenges'), method: 'POST', headers: json(cachedAuth), body: cachedBody, setupRequest: asLearner, durationS: WARMUP_S })
    const cached = await httpLoad({ url: gateway('/challenges'), method: 'POST', headers: json(cachedAuth), body: cachedBody, setupRequest: asLearner })
    await concurrentLoop(() => redis.getex(runKey, 'EX', 3600), WARMUP_S)
    const bareRedis = await concurrentLoop(() => redis.getex(runKey, 'EX', 3600))
    results.challenges_cached = {
      gateway: cached,
      raw_ioredis: bareRedis,
      ratio_gateway_to_raw: ratio(cached.perSecond, bareRedis.perSecond)
    }

    // 3. POST /challenges with a new query every time vs the bare engine.
    say('3. POST /challenges, cold')
    memory.phase('challenges_cold')
    const coldAuth = await token('bench-cold')
    let counter = 0
    const fresh = (request: Request): Request => asLearner({ ...request, body: JSON.stringify({ questionID: '1', query: freshQuery(++counter) }) })
    await httpLoad({ url: gateway('/challenges'), method: 'POST', headers: json(coldAuth), setupRequest: fresh, durationS: WARMUP_S })
    const cold = await httpLoad({ url: gateway('/challenges'), method: 'POST', headers: json(coldAuth), setupRequest: fresh })
    await loadEngine()
    const image = buildImage(shopSql)
    let engineCounter = 1_000_000
    serialLoop(() => runQuery(image, freshQuery(engineCounter++)), WARMUP_S)
    // runQuery opens a fresh database from the image for every run, as the sandbox does.
    const engine = serialLoop(() => runQuery(image, freshQuery(engineCounter++)))
    results.challenges_cold = {
      gateway: cold,
      bare_engine: engine,
      ratio_gateway_to_engine: ratio(cold.perSecond, engine.perSecond),
      note: 'the service runs on a pool of sandbox worker threads (default size max(4, cores)); the bare engine on one thread of the bench process'
    }

    // 4. GET /challenges/{id} of a 1,000-row result.
    say('4. GET /challenges/{id}, 1,000 rows')
    memory.phase('challenge_1000_rows')
    const bigAuth = await token('bench-big')
    const big = await post('/challenges', bigAuth, { questionID: '1', query: ROWS_1000_QUERY })
    if (big.status !== 200) throw new Error(`the 1,000-row challenge failed: ${big.status} ${JSON.stringify(big.body)}`)
    const bigPath = `/challenges/${big.body.challengeID}`
    const bigResponse = await fetch(gateway(bigPath), { headers: { authorization: bigAuth } })
    const bigText = await bigResponse.text()
    const bigRows = (JSON.parse(bigText) as { rows: unknown[] }).rows.length
    if (bigRows !== 1000) throw new Error(`expected 1,000 rows, got ${bigRows}`)
    await httpLoad({ url: gateway(bigPath), headers: { authorization: bigAuth }, durationS: WARMUP_S })
    const bigLoad = await httpLoad({ url: gateway(bigPath), headers: { authorization: bigAuth } })
    results.challenge_1000_rows = {
      gateway: bigLoad,
      rows: bigRows,
      body_bytes: Buffer.byteLength(bigText),
      response_bytes_with_headers: bigLoad.bytesPerResponse,
      mib_per_second: round(bigLoad.perSecond * bigLoad.bytesPerResponse / 1024 / 1024, 1)
    }

    // 5. Isolation: GET /questions with and without runaway queries.
    say('5. isolation under runaway queries')
    memory.phase('isolation')
    const quiet = await httpLoad({ url: gateway('/questions'), headers: readerHeaders })
    const healthQuiet = await httpLoad({ url: gateway('/healthz') })
    const abuserAuth = await token('bench-abuser')
    const runaways: Array<Promise<number>> = []
    let runawayN = 0
    const fire = () => {
      runaways.push(post('/challenges', abuserAuth, { questionID: '1', query: runawayQuery(++runawayN) }).then(r => r.status, () => 0))
    }
    fire()
    const abuse = setInterval(fire, 500)
    let underAbuse: Awaited<ReturnType<typeof httpLoad>>
    let healthUnderAbuse: Awaited<ReturnType<typeof httpLoad>>
    let freshUnderAbuse: Measure
    try {
      await new Promise(resolve => setTimeout(resolve, 1000)) // let the first runaways occupy workers
      underAbuse = await httpLoad({ url: gateway('/questions'), headers: readerHeaders })
      // The runner's own health, asked through the gateway, while runaways run.
      healthUnderAbuse = await httpLoad({ url: gateway('/healthz') })
      // Another user's new runs, one after the other, while runaways run.
      freshUnderAbuse = await freshRuns(await token('bench-fresh'), 20)
    } finally {
      clearInterval(abuse)
    }
    // 8 users each looping one runaway query at a time (within their limits),
    // and another user's new runs meanwhile.
    let flooding = true
    const flooders = await Promise.all(Array.from({ length: 8 }, (_, i) => token(`bench-flooder-${i}`)))
    const floods = flooders.map(async auth => {
      while (flooding) {
        const status = await post('/challenges', auth, { questionID: '1', query: runawayQuery(++runawayN) }).then(r => r.status, () => 0)
        if (status === 429) await new Promise(resolve => setTimeout(resolve, 500))
      }
    })
    await new Promise(resolve => setTimeout(resolve, 1500))
    const freshUnderFlood = await freshRuns(await token('bench-fresh-8'), 20)
    flooding = false
    await Promise.all(floods)
    const freshQuiet = await freshRuns(await token('bench-fresh-quiet'), 20)

    const runawayStatuses: Record<string, number> = {}
    for (const status of await Promise.all(runaways)) runawayStatuses[status] = (runawayStatuses[status] ?? 0) + 1
    results.isolation = {
      without_runaways: quiet,
      with_runaways: underAbuse,
      runaways_per_second: 2,
      runaway_statuses: runawayStatuses,
      p99_ratio_with_to_without: ratio(underAbuse.p99Ms, quiet.p99Ms),
      healthz_without_runaways: healthQuiet,
      healthz_with_runaways: healthUnderAbuse,
      healthz_p99_ratio_with_to_without: ratio(healthUnderAbuse.p99Ms, healthQuiet.p99Ms),
      throughput_ratio_with_to_without: ratio(underAbuse.perSecond, quiet.perSecond),
      fresh_run_quiet: freshQuiet,
      fresh_run_with_runaways: freshUnderAbuse,
      fresh_run_with_8_flooders: freshUnderFlood
    }

    // 7. Grading: the quality report and compares with hidden datasets.
    say('7. grading: quality report, compares with and without hidden datasets')
    memory.phase('grading')
    results.grading = await measureGrading({ gateway, post, token: sub => token(sub, 'read:question challenge write:resource'), pool, redis })
    // 8. GET /leaderboard with 10,000 learners (bench/leaderboard.ts).
    say('8. GET /leaderboard, 10,000 learners')
    memory.phase('leaderboard')
    results.leaderboard = await leaderboardScenario(s, pool, await token('bench-board', 'read:question'), say)

    // 6. Memory.
    memory.phase('end')
    await new Promise(resolve => setTimeout(resolve, 300))
    memory.stop()
    results.memory = {
      what: 'RSS of the spawned `node scripts/start.ts` process (the whole Platformatic runtime: gateway, questions, dbrunner and the sandbox workers are threads of it) plus any descendants; sampled every 200 ms',
      peak_runtime_rss_mib: mib(memory.peakKiB),
      peak_runtime_rss_mib_by_scenario: Object.fromEntries(Object.entries(memory.byPhase).map(([phase, kib]) => [phase, mib(kib)])),
      idle_runtime_rss_mib: mib(idleRuntimeKiB),
      idle_bare_floor_rss_mib: mib(idleBareKiB),
      idle_measured_after_start_s: IDLE_AFTER_START_MS / 1000,
      // Summed over PostgreSQL's processes, so its shared buffers count more than once.
      peak_postgres_and_redis_rss_mib: mib(memory.backingPeakKiB),
      samples: memory.samples
    }

    const report = {
      date: startedAt.toISOString(),
      machine: {
        cpus: availableParallelism(),
        cpu_model: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        load_average_at_start: loadAtStart
      },
      method: {
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        warmup_s: WARMUP_S,
        load_generator: 'autocannon in the bench process; the runtime in a spawned `node scripts/start.ts` process, the standalone questions service in another; PostgreSQL and redis-server are separate processes; all share the machine\'s cores',
        settings: 'NODE_ENV=production, LOG_LEVEL=warn, CHALLENGE_RATE_LIMIT=100000, API_RATE_LIMIT=1000000, tokens from an oidc-provider set up as Logto (ES384 JWT access tokens, JWKS on loopback)'
      },
      ...results
    }
    await mkdir(join(benchDir, 'results'), { recursive: true })
    const out = join(benchDir, 'results', 'latest.json')
    await writeFile(`${out}.tmp`, JSON.stringify(report, null, 2) + '\n')
    await rename(`${out}.tmp`, out)
    process.stdout.write(markdown(report) + '\n')
    say(`figures written to ${out}`)
  } finally {
    await cleanUp()
  }
}

// ---------------------------------------------------------------------------
// Report

type Row = [string, string, Measure, string]

const cpuNotes = (cpu: Record<string, number>) => Object.entries(cpu).map(([part, us]) => `${part} ${us}`).join(', ')

function markdown (report: Record<string, any>): string {
  const q = report.questions_list
  const c = report.challenges_cached
  const cold = report.challenges_cold
  const big = report.challenge_1000_rows
  const iso = report.isolation
  const m = report.memory
  const rows: Row[] = [
    ['1. GET /questions', 'through the gateway', q.gateway, `gateway/direct ${q.ratio_gateway_to_direct}, gateway/raw ${q.ratio_gateway_to_raw}; CPU µs/request: ${cpuNotes(q.cpu_us_per_request.project_through_gateway)}`],
    ['', 'questions service alone (HTTP)', q.direct, ''],
    ['', 'same SQL, bare pg', q.raw_pg, ''],
    ['   bare floor: GET /things', 'gateway over a db application', q.bare_gateway, `gateway/direct ${q.ratio_bare_gateway_to_direct}; the project's ratio is ${q.ratio_to_bare_ratio}x the bare one; CPU µs/request: ${cpuNotes(q.cpu_us_per_request.bare_through_gateway)}`],
    ['', 'the db application alone', q.bare_direct, ''],
    ['2. POST /challenges, cached', 'through the gateway', c.gateway, `gateway/raw ${c.ratio_gateway_to_raw}`],
    ['', 'bare ioredis GETEX', c.raw_ioredis, ''],
    ['3. POST /challenges, new query', 'through the gateway', cold.gateway, `gateway/engine ${cold.ratio_gateway_to_engine}`],
    ['', 'bare engine, 1 thread', cold.bare_engine, ''],
    ['4. GET /challenges/{id}, 1,000 rows', 'through the gateway', big.gateway, `${big.body_bytes} body bytes, ${big.mib_per_second} MiB/s`],
    ['5. GET /questions, isolation', 'quiet', iso.without_runaways, ''],
    ['', 'with 2 runaway queries/s', iso.with_runaways, `p99 with/without ${iso.p99_ratio_with_to_without}, runaways: ${JSON.stringify(iso.runaway_statuses)}`],
    ['   GET /healthz, isolation', 'quiet', iso.healthz_without_runaways, ''],
    ['', 'with 2 runaway queries/s', iso.healthz_with_runaways, `p99 with/without ${iso.healthz_p99_ratio_with_to_without}`],
    ['   another user\'s new run', 'quiet', iso.fresh_run_quiet, '20 runs, one after the other'],
    ['', 'with 2 runaway queries/s', iso.fresh_run_with_runaways, ''],
    ['', 'with 8 users looping runaways', iso.fresh_run_with_8_flooders, ''],
    ['7. GET /challenges/{id}/compare', 'no hidden dataset', report.grading.compare.without_datasets, ''],
    ['', '4 hidden datasets', report.grading.compare.with_4_datasets, `quality report of that question (${report.grading.question.mutants} mutants, 4 datasets): ${report.grading.quality_report_cold_ms} ms from scratch, ${report.grading.quality_report_cached_p50_ms} ms from cached runs (p50)`]
  ]
  const lines = [
    `Database Playground bench, ${report.date}: ${report.machine.cpus} cores (${report.machine.cpu_model}), Node ${report.machine.node}, load average at start ${report.machine.load_average_at_start.join(' ')}`,
    `${report.method.connections} connections, ${report.method.duration_s} s per measurement after ${report.method.warmup_s} s warm-up. ${report.method.load_generator}.`,
    '',
    '| Scenario | Variant | ops/s | p50 ms | p99 ms | failed | Notes |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(([scenario, variant, measure, notes]) =>
      `| ${scenario} | ${variant} | ${measure.perSecond} | ${measure.p50Ms} | ${measure.p99Ms} | ${measure.failed} | ${notes} |`),
    `| 6. Memory | RSS of the runtime process | | | | | peak ${m.peak_runtime_rss_mib} MiB; idle ${m.idle_runtime_rss_mib} MiB ${m.idle_measured_after_start_s} s after start, the bare floor ${m.idle_bare_floor_rss_mib} MiB (PostgreSQL + Redis, summed: ${m.peak_postgres_and_redis_rss_mib} MiB) |`,
    ...leaderboardRows(report.leaderboard).map(([scenario, variant, measure, notes]) =>
      `| ${scenario} | ${variant} | ${measure.perSecond} | ${measure.p50Ms} | ${measure.p99Ms} | ${measure.failed} | ${notes} |`)
  ]
  return lines.join('\n')
}

await main()
process.exit(0)
