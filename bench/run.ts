// `npm run bench`: measures the system against the bare parts it is built
// from, each pair in the same run so their ratio holds on a noisy machine.
// See bench/README.md for the method. Everything it starts is private
// (temp dir, loopback, free ports) and stopped at the end.
import autocannon, { type Request } from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { stopChild } from '../lib/child-process.ts'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/embedded-postgres.ts'
import { freePort } from '../lib/free-port.ts'
import { startRedisServer, type RedisServer } from '../lib/redis-server.ts'
import { loadSeeds } from '../lib/seed.ts'
import { inputHash, schemaKey } from '../services/dbrunner/lib/challenges.ts'
import { normaliseQuery } from '../services/dbrunner/lib/normalise.ts'
import { buildImage, loadEngine, runQuery } from '../services/dbrunner/lib/sql-engine.ts'
import { startFakeLogto, type FakeLogto } from '../test/gateway/fake-logto.ts'
import { launch, waitForOutput, type Launched } from '../test/helpers/launcher.ts'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const CONNECTIONS = 10
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5)
const WARMUP_S = 2
// Hard caps so no loop can run away even if the clock misbehaves.
const MAX_LOOP_ITERATIONS = 2_000_000
const REQUEST_TIMEOUT_S = 10

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`)

// ---------------------------------------------------------------------------
// Measurement

interface Measure {
  /** successful operations per second */
  perSecond: number
  p50Ms: number
  p99Ms: number
  ok: number
  failed: number
  statuses?: Record<string, number>
  durationS: number
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))
  return sorted[index] as number
}

const round = (value: number, digits = 2) => Number.isFinite(value) ? Number(value.toFixed(digits)) : value

function summarise (latencies: number[], ok: number, failed: number, durationS: number, statuses?: Record<string, number>): Measure {
  const sorted = latencies.sort((a, b) => a - b)
  return {
    perSecond: round(ok / durationS, 1),
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    ok,
    failed,
    ...(statuses ? { statuses } : {}),
    durationS: round(durationS, 2)
  }
}

interface HttpLoad {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** a fresh request each time (e.g. a new query) */
  setupRequest?: Request['setupRequest']
  durationS?: number
}

// autocannon drives the load; latencies come from its per-response event
// (hrtime, in ms, fractional) so HTTP and bare loops use the same percentiles.
async function httpLoad (load: HttpLoad): Promise<Measure & { bytesPerResponse: number }> {
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  let bytes = 0
  const statuses: Record<string, number> = {}
  const request: Request = { method: load.method ?? 'GET', headers: load.headers, body: load.body }
  if (load.setupRequest) request.setupRequest = load.setupRequest
  const started = performance.now()
  const instance = autocannon({
    url: load.url,
    connections: CONNECTIONS,
    duration: load.durationS ?? DURATION_S,
    timeout: REQUEST_TIMEOUT_S,
    requests: [request]
  })
  instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    if (statusCode >= 200 && statusCode < 300) {
      ok++
      bytes += resBytes
      latencies.push(responseTime)
    } else {
      failed++
    }
  })
  const result = await instance
  failed += result.errors
  if (result.errors > 0) statuses.connection_errors = result.errors
  const durationS = (performance.now() - started) / 1000
  return { ...summarise(latencies, ok, failed, durationS, statuses), bytesPerResponse: ok ? Math.round(bytes / ok) : 0 }
}

/** `CONNECTIONS` concurrent loops of `op` for the duration (and at most MAX_LOOP_ITERATIONS ops). */
async function concurrentLoop (op: () => Promise<unknown>, durationS = DURATION_S): Promise<Measure> {
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  let count = 0
  const started = performance.now()
  const end = started + durationS * 1000
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end && count++ < MAX_LOOP_ITERATIONS) {
      const at = performance.now()
      try {
        await op()
        latencies.push(performance.now() - at)
        ok++
      } catch {
        failed++
      }
    }
  }))
  return summarise(latencies, ok, failed, (performance.now() - started) / 1000)
}

/** One synchronous operation after another on this thread, for the duration. */
function serialLoop (op: (i: number) => void, durationS = DURATION_S): Measure {
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  const started = performance.now()
  const end = started + durationS * 1000
  for (let i = 0; i < MAX_LOOP_ITERATIONS && performance.now() < end; i++) {
    const at = performance.now()
    try {
      op(i)
      latencies.push(performance.now() - at)
      ok++
    } catch {
      failed++
    }
  }
  return summarise(latencies, ok, failed, (performance.now() - started) / 1000)
}

const ratio = (a: number, b: number) => round(a / b, 3)

// ---------------------------------------------------------------------------
// Memory: the runtime is one process (its applications and the SQL runner's
// sandboxes are worker threads), so its RSS covers all of them. Descendants
// are added in case it ever spawns any; PostgreSQL and Redis are started by
// the bench, not by the runtime, and are reported apart.

function rssKiB (pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0)
  } catch {
    return 0
  }
}

function descendants (pid: number): number[] {
  const found: number[] = []
  const queue = [pid]
  while (queue.length > 0 && found.length < 1000) {
    const parent = queue.shift() as number
    let children: string
    try {
      children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8')
    } catch {
      continue
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

const treeRssKiB = (pid: number) => [pid, ...descendants(pid)].reduce((sum, each) => sum + rssKiB(each), 0)

class MemorySampler {
  #timer: NodeJS.Timeout
  #phase = 'startup'
  peakKiB = 0
  backingPeakKiB = 0
  byPhase: Record<string, number> = {}
  samples = 0

  constructor (runtimePid: number, backingPids: number[], everyMs = 200) {
    this.#timer = setInterval(() => {
      const rss = treeRssKiB(runtimePid)
      const backing = backingPids.reduce((sum, pid) => sum + treeRssKiB(pid), 0)
      this.samples++
      this.peakKiB = Math.max(this.peakKiB, rss)
      this.backingPeakKiB = Math.max(this.backingPeakKiB, backing)
      this.byPhase[this.#phase] = Math.max(this.byPhase[this.#phase] ?? 0, rss)
    }, everyMs)
    this.#timer.unref()
  }

  phase (name: string) { this.#phase = name }
  stop () { clearInterval(this.#timer) }
}

const mib = (kib: number) => round(kib / 1024, 1)

// ---------------------------------------------------------------------------
// The system under test

interface Started {
  dataDir: string
  postgres: EmbeddedDatabase
  redis: RedisServer
  logto: FakeLogto
  system: Launched
  systemUrl: string
  direct: ChildProcess
  directUrl: string
}

async function startDirectQuestions (databaseUrl: string): Promise<{ child: ChildProcess, url: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [join(benchDir, 'questions-direct.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, BENCH_DIRECT_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', chunk => { output += chunk })
  child.stderr?.on('data', chunk => { output += chunk })
  const deadline = Date.now() + 60_000
  while (!/DIRECT http/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the standalone questions service exited: ${output}`)
    if (Date.now() > deadline) throw new Error(`the standalone questions service did not start: ${output}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return { child, url: `http://127.0.0.1:${port}` }
}

async function startAll (cleanups: Array<() => Promise<unknown>>): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-bench-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const postgres = await startEmbeddedPostgres({ dataDir })
  cleanups.push(postgres.stop)
  const redis = await startRedisServer({ dataDir })
  cleanups.push(redis.stop)
  const logto = await startFakeLogto('https://bench.playground.local')
  cleanups.push(() => logto.close())
  say(`PostgreSQL on ${postgres.port}, Redis on ${redis.port}, fake Logto at ${logto.domain}`)

  // Production behaviour everywhere; sign-in through the fake Logto, since
  // production refuses the dev issuer.
  const system = launch({
    NODE_ENV: 'production',
    LOGTO_DOMAIN: logto.domain,
    GATEWAY_RESOURCE_INDICATOR: logto.resource,
    LOG_LEVEL: 'warn',
    CHALLENGE_RATE_LIMIT: '100000',
    HOSTNAME: '127.0.0.1',
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url
  })
  cleanups.push(async () => {
    if (system.child.exitCode !== null) return
    system.child.kill('SIGTERM')
    const code = await Promise.race([system.exited, new Promise(resolve => setTimeout(resolve, 30_000, 'timeout'))])
    if (code === 'timeout') system.child.kill('SIGKILL')
  })
  const [, systemUrl] = await waitForOutput(system, /API:\s+(http:\/\/\S+)/, 90_000) as [string, string]

  // Production never seeds by itself; the runtime has applied the migrations.
  const client = new pg.Client({ connectionString: postgres.url })
  await client.connect()
  await loadSeeds(client)
  await client.end()

  const direct = await startDirectQuestions(postgres.url)
  cleanups.push(() => stopChild(direct.child, 10_000))
  return { dataDir, postgres, redis, logto, system, systemUrl, direct: direct.child, directUrl: direct.url }
}

// ---------------------------------------------------------------------------

const QUESTIONS_SQL = 'SELECT "id", "schema_id", "type", "difficulty", "title", "description", "created_at", "updated_at" FROM "questions" ORDER BY "id" ASC LIMIT $1 OFFSET $2'
const CACHED_QUERY = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
const ROWS_1000_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT x, 'row ' || x FROM c"
// Distinct texts, so neither the result cache nor the remembered timeouts answer them.
const freshQuery = (n: number) => `SELECT name, price + ${n} FROM products`
const runawayQuery = (n: number) => `WITH RECURSIVE c(x) AS (SELECT ${n} UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c`

async function main () {
  const cleanups: Array<() => Promise<unknown>> = []
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
    const s = await startAll(cleanups)
    const memory = new MemorySampler(s.system.child.pid as number, [s.postgres.process.pid as number, s.redis.process.pid as number])
    cleanups.push(async () => memory.stop())

    const token = (sub: string, scope = 'read:question challenge') => `Bearer ${s.logto.token({ sub, scope })}`
    const json = (authorization: string) => ({ authorization, 'content-type': 'application/json' })
    const gateway = (path: string) => `${s.systemUrl}${path}`
    async function post (path: string, authorization: string, body: unknown) {
      const response = await fetch(gateway(path), { method: 'POST', headers: json(authorization), body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000) })
      return { status: response.status, body: await response.json() as Record<string, string> }
    }

    const results: Record<string, unknown> = {}

    // 1. GET /questions: gateway vs the questions service alone vs bare pg.
    say('1. GET /questions')
    memory.phase('questions')
    const readerHeaders = { authorization: token('bench-reader', 'read:question') }
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
    const viaGateway = await httpLoad({ url: gateway('/questions'), headers: readerHeaders })
    await httpLoad({ url: `${s.directUrl}/questions`, durationS: WARMUP_S })
    const direct = await httpLoad({ url: `${s.directUrl}/questions` })
    await concurrentLoop(() => pool.query(QUESTIONS_SQL, [10, 0]), WARMUP_S)
    const raw = await concurrentLoop(() => pool.query(QUESTIONS_SQL, [10, 0]))
    results.questions_list = {
      gateway: viaGateway,
      direct,
      raw_pg: raw,
      ratio_gateway_to_direct: ratio(viaGateway.perSecond, direct.perSecond),
      ratio_gateway_to_raw: ratio(viaGateway.perSecond, raw.perSecond),
      p99_ratio_gateway_to_direct: ratio(viaGateway.p99Ms, direct.p99Ms)
    }

    // 2. POST /challenges answered from the cache vs a bare ioredis loop.
    say('2. POST /challenges, cached')
    memory.phase('challenges_cached')
    const cachedAuth = token('bench-cached')
    const cachedBody = JSON.stringify({ questionID: '1', query: CACHED_QUERY })
    const primed = await post('/challenges', cachedAuth, JSON.parse(cachedBody))
    if (primed.status !== 200) throw new Error(`priming the cache failed: ${primed.status} ${JSON.stringify(primed.body)}`)
    const redis = new Redis(s.redis.url)
    cleanups.push(async () => redis.disconnect())
    const { rows: [shop] } = await pool.query("SELECT initial_sql FROM schemas WHERE id = 'shop'")
    const shopSql = shop.initial_sql as string
    // The same key the service reads first for a cached run.
    const runKey = `dbp:run:${inputHash('1', schemaKey(shopSql), normaliseQuery(CACHED_QUERY))}`
    if (await redis.exists(runKey) !== 1) throw new Error(`the cached run is not under ${runKey}`)
    await httpLoad({ url: gateway('/challenges'), method: 'POST', headers: json(cachedAuth), body: cachedBody, durationS: WARMUP_S })
    const cached = await httpLoad({ url: gateway('/challenges'), method: 'POST', headers: json(cachedAuth), body: cachedBody })
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
    const coldAuth = token('bench-cold')
    let counter = 0
    const fresh = (request: Request): Request => ({ ...request, body: JSON.stringify({ questionID: '1', query: freshQuery(++counter) }) })
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
    const bigAuth = token('bench-big')
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
    const abuserAuth = token('bench-abuser')
    const runaways: Array<Promise<number>> = []
    let runawayN = 0
    const fire = () => {
      runaways.push(post('/challenges', abuserAuth, { questionID: '1', query: runawayQuery(++runawayN) }).then(r => r.status, () => 0))
    }
    fire()
    const abuse = setInterval(fire, 500)
    let underAbuse: Awaited<ReturnType<typeof httpLoad>>
    try {
      await new Promise(resolve => setTimeout(resolve, 1000)) // let the first runaways occupy workers
      underAbuse = await httpLoad({ url: gateway('/questions'), headers: readerHeaders })
    } finally {
      clearInterval(abuse)
    }
    const runawayStatuses: Record<string, number> = {}
    for (const status of await Promise.all(runaways)) runawayStatuses[status] = (runawayStatuses[status] ?? 0) + 1
    results.isolation = {
      without_runaways: quiet,
      with_runaways: underAbuse,
      runaways_per_second: 2,
      runaway_statuses: runawayStatuses,
      p99_ratio_with_to_without: ratio(underAbuse.p99Ms, quiet.p99Ms),
      throughput_ratio_with_to_without: ratio(underAbuse.perSecond, quiet.perSecond)
    }

    // 6. Memory.
    memory.phase('end')
    await new Promise(resolve => setTimeout(resolve, 300))
    memory.stop()
    results.memory = {
      what: 'RSS of the spawned `node scripts/start.ts` process (the whole Platformatic runtime: gateway, questions, dbrunner and the sandbox workers are threads of it) plus any descendants; sampled every 200 ms',
      peak_runtime_rss_mib: mib(memory.peakKiB),
      peak_runtime_rss_mib_by_scenario: Object.fromEntries(Object.entries(memory.byPhase).map(([phase, kib]) => [phase, mib(kib)])),
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
        settings: 'NODE_ENV=production, LOG_LEVEL=warn, CHALLENGE_RATE_LIMIT=100000, tokens from a fake Logto issuer (ES384 JWKS on loopback)'
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

function markdown (report: Record<string, any>): string {
  const q = report.questions_list
  const c = report.challenges_cached
  const cold = report.challenges_cold
  const big = report.challenge_1000_rows
  const iso = report.isolation
  const m = report.memory
  const rows: Row[] = [
    ['1. GET /questions', 'through the gateway', q.gateway, `gateway/direct ${q.ratio_gateway_to_direct}, gateway/raw ${q.ratio_gateway_to_raw}`],
    ['', 'questions service alone (HTTP)', q.direct, ''],
    ['', 'same SQL, bare pg', q.raw_pg, ''],
    ['2. POST /challenges, cached', 'through the gateway', c.gateway, `gateway/raw ${c.ratio_gateway_to_raw}`],
    ['', 'bare ioredis GETEX', c.raw_ioredis, ''],
    ['3. POST /challenges, new query', 'through the gateway', cold.gateway, `gateway/engine ${cold.ratio_gateway_to_engine}`],
    ['', 'bare engine, 1 thread', cold.bare_engine, ''],
    ['4. GET /challenges/{id}, 1,000 rows', 'through the gateway', big.gateway, `${big.body_bytes} body bytes, ${big.mib_per_second} MiB/s`],
    ['5. GET /questions, isolation', 'quiet', iso.without_runaways, ''],
    ['', 'with 2 runaway queries/s', iso.with_runaways, `p99 with/without ${iso.p99_ratio_with_to_without}, runaways: ${JSON.stringify(iso.runaway_statuses)}`]
  ]
  const lines = [
    `Database Playground bench, ${report.date}: ${report.machine.cpus} cores (${report.machine.cpu_model}), Node ${report.machine.node}, load average at start ${report.machine.load_average_at_start.join(' ')}`,
    `${report.method.connections} connections, ${report.method.duration_s} s per measurement after ${report.method.warmup_s} s warm-up. ${report.method.load_generator}.`,
    '',
    '| Scenario | Variant | ops/s | p50 ms | p99 ms | failed | Notes |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(([scenario, variant, measure, notes]) =>
      `| ${scenario} | ${variant} | ${measure.perSecond} | ${measure.p50Ms} | ${measure.p99Ms} | ${measure.failed} | ${notes} |`),
    `| 6. Memory | peak RSS of the runtime process | | | | | ${m.peak_runtime_rss_mib} MiB (PostgreSQL + Redis: ${m.peak_postgres_and_redis_rss_mib} MiB) |`
  ]
  return lines.join('\n')
}

await main()
process.exit(0)
