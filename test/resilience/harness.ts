// Shared by the resilience suites: private PostgreSQL and Redis that a test
// can kill and bring back on the same port and data dir, the system as
// `node scripts/start.ts` in its own process, and a steady mixed load that
// records what every request got.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { stopChild } from '../../launcher/child-process.ts'
import { startEmbeddedPostgres } from '../../launcher/embedded-postgres.ts'
import { freePort } from '../../launcher/free-port.ts'
import { startRedisServer, type RedisServer } from '../../launcher/redis-server.ts'
import { readDotEnv } from '../../launcher/dotenv.ts'
import { repositoryRoot } from '../../launcher/system.ts'
import { childPids, isAlive, launch, waitForOutput, type Launched } from '../helpers/launcher.ts'

interface Teardown { teardown: (fn: () => unknown) => void }
interface TestContext extends Teardown {
  passing: () => boolean
  comment: (...message: unknown[]) => void
}

export const REQUEST_TIMEOUT_MS = 5000

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** `promise`'s value, or 'timeout' after `ms`; the timer never outlives it. */
export async function within<T> (promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(resolve, ms, 'timeout') })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export async function tempDir (t: Teardown, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

// ---------------------------------------------------------------------------
// PostgreSQL that can be stopped and started again. startEmbeddedPostgres
// picks a new port on every start, and the runtime keeps the URL it was given,
// so a restart re-runs the same server command (same port, same data dir).

export interface RestartablePostgres {
  url: string
  port: number
  stop: () => Promise<void>
  start: () => Promise<void>
}

function postgresUser (): { uid: number, gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  }
}

function spawnPostgres (command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { ...postgresUser(), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`PostgreSQL did not restart: ${output}`))
    }, 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('ready to accept connections')) {
        clearTimeout(timer)
        child.off('exit', onExit)
        resolve(child)
      }
    }
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`PostgreSQL exited (${code}) while restarting: ${output}`))
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}

export async function startPostgres (t: Teardown, dataDir: string): Promise<RestartablePostgres> {
  const first = await startEmbeddedPostgres({ dataDir, database: 'playground' })
  const command = first.process.spawnfile
  const args = first.process.spawnargs.slice(1)
  let current: ChildProcess = first.process
  // Keep draining its output so a full pipe never blocks the server.
  current.stderr?.resume()
  const stop = () => stopChild(current, 10_000, 'SIGINT')
  t.teardown(stop)
  return {
    url: first.url,
    port: first.port,
    stop,
    start: async () => {
      current = await spawnPostgres(command, args)
      current.stdout?.resume()
      current.stderr?.resume()
    }
  }
}

// ---------------------------------------------------------------------------

export interface RestartableRedis {
  url: string
  port: number
  kill: () => Promise<void>
  start: () => Promise<void>
}

export async function startRedis (t: Teardown, dataDir: string): Promise<RestartableRedis> {
  const port = await freePort()
  let server: RedisServer = await startRedisServer({ dataDir, port })
  t.teardown(() => server.stop())
  return {
    url: server.url,
    port,
    kill: async () => {
      const exited = new Promise(resolve => server.process.once('exit', resolve))
      server.process.kill('SIGKILL')
      await exited
    },
    start: async () => {
      server = await startRedisServer({ dataDir, port })
    }
  }
}

// ---------------------------------------------------------------------------
// Processes by identity, not just pid: on a busy machine a pid can be reused
// by an unrelated process within seconds.

export interface ProcessIdentity {
  pid: number
  startTime: string
  command: string
}

function identityOf (pid: number): ProcessIdentity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command (which may hold spaces) start after the last ')'.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
    return { pid, startTime, command }
  } catch {
    return null
  }
}

/** The children of `pid` now, with what identifies each. */
export function childProcesses (pid: number): ProcessIdentity[] {
  return childPids(pid).map(identityOf).filter((each): each is ProcessIdentity => each !== null)
}

/** Those of `processes` that still run (same pid and same start time). */
export function stillRunning (processes: ProcessIdentity[]): ProcessIdentity[] {
  return processes.filter(each => identityOf(each.pid)?.startTime === each.startTime)
}

// ---------------------------------------------------------------------------

export interface RunningSystem {
  launched: Launched
  url: string
  pid: number
}

/** The distinct error lines (pino level >= 50) of the system's output, with counts. */
export function loggedErrors (output: string, limit = 10): string {
  const counts = new Map<string, number>()
  for (const line of output.split('\n')) {
    let entry: { level?: number, name?: string, msg?: string, err?: { message?: string } }
    try {
      entry = JSON.parse(line)
    } catch {
      continue
    }
    if ((entry.level ?? 0) < 50) continue
    const key = `${entry.name ?? '?'}: ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].slice(0, limit).map(([key, n]) => `${n}× ${key}`).join('\n') || 'none'
}

/** `node scripts/start.ts` with its own data dir and ports; killed at teardown if still running. */
export async function launchSystem (t: TestContext, env: Record<string, string>): Promise<RunningSystem> {
  if (readDotEnv(repositoryRoot)) {
    // The launcher lets .env win over its environment: it would run on
    // whatever servers and ports .env names, not the test's.
    throw new Error('.env exists at the repository root: the launched system would read it over the test settings; move it aside while the tests run')
  }
  const launched = launch({
    LOG_LEVEL: 'warn',
    CHALLENGE_RATE_LIMIT: '100000',
    API_RATE_LIMIT: '1000000',
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    ...env
  })
  t.teardown(async () => {
    // What the system logged as errors explains a failed assertion.
    if (!t.passing()) t.comment(`errors logged by the system:\n${loggedErrors(launched.output())}`)
    if (launched.child.exitCode !== null || launched.child.signalCode !== null) return
    const descendants = childPids(launched.child.pid as number)
    launched.child.kill('SIGTERM')
    const code = await within(launched.exited, 30_000)
    if (code === 'timeout') {
      launched.child.kill('SIGKILL')
      for (const pid of descendants.filter(isAlive)) process.kill(pid, 'SIGKILL')
    }
  })
  const [, url] = await waitForOutput(launched, /API:\s+(http:\/\/\S+)/, 120_000) as [string, string]
  return { launched, url, pid: launched.child.pid as number }
}

/** Private PostgreSQL and Redis in a temp dir, and the system on them. */
export async function startSystemWithBackingServices (t: TestContext, env: Record<string, string> = {}) {
  const dataDir = await tempDir(t, 'playground-resilience-')
  const postgres = await startPostgres(t, dataDir)
  const redis = await startRedis(t, dataDir)
  const system = await launchSystem(t, { DATA_DIR: dataDir, DATABASE_URL: postgres.url, REDIS_URL: redis.url, ...env })
  return { dataDir, postgres, redis, system }
}

export async function devToken (url: string, scopes: string[], sub: string): Promise<string> {
  const response = await fetch(`${url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scopes, sub }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  })
  if (!response.ok) throw new Error(`dev token: ${response.status} ${await response.text()}`)
  return (await response.json() as { access_token: string }).access_token
}

export const studentScopes = ['read:question', 'read:solution', 'challenge', 'read:schema']
export const teacherScopes = [...studentScopes, 'write:resource']

export async function withClient<T> (url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

// ---------------------------------------------------------------------------
// What a user sees: one record per request.

export interface Outcome {
  op: string
  startedAt: number
  endedAt: number
  /** 0 when no HTTP response came (connection error or hang) */
  status: number
  /** the `message` of a JSON error body, if there was one */
  message?: string
  /** the body was JSON */
  json: boolean
  /** no answer within REQUEST_TIMEOUT_MS */
  hung: boolean
  /** the network error, when there was no response */
  error?: string
  body?: unknown
}

export async function request (url: string, op: string, method: string, path: string, options: { token?: string, body?: string | Uint8Array, headers?: Record<string, string> } = {}): Promise<Outcome> {
  const startedAt = Date.now()
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] ??= 'application/json'
  try {
    const response = await fetch(`${url}${path}`, { method, headers, body: options.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    return outcomeOf(op, startedAt, response.status, await response.text())
  } catch (error) {
    const name = (error as Error).name
    const cause = (error as { cause?: { code?: string, message?: string } }).cause
    return {
      op,
      startedAt,
      endedAt: Date.now(),
      status: 0,
      json: false,
      hung: name === 'TimeoutError',
      error: `${name}: ${cause?.code ?? cause?.message ?? (error as Error).message}`
    }
  }
}

function outcomeOf (op: string, startedAt: number, status: number, text: string): Outcome {
  let body: unknown
  let json = false
  try {
    body = JSON.parse(text)
    json = true
  } catch {}
  const message = json && typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : undefined
  return { op, startedAt, endedAt: Date.now(), status, message, json, hung: false, body }
}

/**
 * A request through node:http, which reads the answer even when the server
 * answers before the whole body is sent and then closes the connection (a
 * 413 for a huge body): fetch reports only the broken pipe then.
 */
export function rawRequest (url: string, op: string, method: string, path: string, options: { token?: string, body: string | Uint8Array }): Promise<Outcome> {
  const startedAt = Date.now()
  return new Promise(resolve => {
    let settled = false
    const finish = (outcome: Outcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    const req = httpRequest(new URL(path, url), { method, headers }, response => {
      const chunks: Buffer[] = []
      const done = () => finish(outcomeOf(op, startedAt, response.statusCode ?? 0, Buffer.concat(chunks).toString()))
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', done)
      response.on('error', done)
      response.on('aborted', done)
    })
    const timer = setTimeout(() => {
      req.destroy()
      finish({ op, startedAt, endedAt: Date.now(), status: 0, json: false, hung: true, error: 'TimeoutError' })
    }, REQUEST_TIMEOUT_MS)
    // A write error may come after the answer has arrived; give it a moment.
    req.on('error', error => setTimeout(() => finish({ op, startedAt, endedAt: Date.now(), status: 0, json: false, hung: false, error: `${error.name}: ${(error as NodeJS.ErrnoException).code ?? error.message}` }), 500))
    req.end(options.body)
  })
}

export const CACHED_QUERY = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"

/**
 * Several loops of mixed student traffic until stopped (or the caps): the
 * question list, one question, a cached run, a new run, and a cached run
 * followed by reading its result.
 */
export function startLoad (url: string, token: string, options: { loops?: number, pauseMs?: number, maxRequests?: number, maxDurationMs?: number } = {}) {
  const loops = options.loops ?? 4
  const pauseMs = options.pauseMs ?? 20
  const maxRequests = options.maxRequests ?? 20_000
  const deadline = Date.now() + (options.maxDurationMs ?? 90_000)
  const outcomes: Outcome[] = []
  let stopped = false
  let fresh = 0
  const ops: Array<() => Promise<void>> = [
    async () => { outcomes.push(await request(url, 'list questions', 'GET', '/questions', { token })) },
    async () => { outcomes.push(await request(url, 'get question', 'GET', `/questions/${1 + (outcomes.length % 10)}`, { token })) },
    async () => {
      outcomes.push(await request(url, 'cached run', 'POST', '/challenges', { token, body: JSON.stringify({ questionID: '1', query: CACHED_QUERY }) }))
    },
    async () => {
      outcomes.push(await request(url, 'new run', 'POST', '/challenges', { token, body: JSON.stringify({ questionID: '1', query: `SELECT name, price + ${++fresh} FROM products` }) }))
    },
    async () => {
      // Reads the result of a run made just before, so a cache emptied by a
      // restart does not count against reads.
      const created = await request(url, 'read result: run', 'POST', '/challenges', { token, body: JSON.stringify({ questionID: '2', query: 'SELECT name, price FROM products ORDER BY price DESC LIMIT 3' }) })
      outcomes.push(created)
      const id = (created.body as { challengeID?: string } | undefined)?.challengeID
      if (id) outcomes.push(await request(url, 'read result', 'GET', `/challenges/${id}`, { token }))
    }
  ]
  const running = Promise.all(Array.from({ length: loops }, async (_, loop) => {
    for (let i = loop; !stopped && outcomes.length < maxRequests && Date.now() < deadline; i++) {
      await (ops[i % ops.length] as () => Promise<void>)()
      await sleep(pauseMs)
    }
  }))
  return {
    outcomes,
    stop: async () => {
      stopped = true
      await running
      return outcomes
    }
  }
}

/** Requests answered before `at`: untouched by a fault injected then. */
export const endedBefore = (outcomes: Outcome[], at: number) => outcomes.filter(o => o.endedAt < at)
export const startedBetween = (outcomes: Outcome[], from: number, to = Infinity) => outcomes.filter(o => o.startedAt >= from && o.startedAt < to)
export const failures = (outcomes: Outcome[]) => outcomes.filter(o => o.status < 200 || o.status >= 300)

/** A short account of failures for assertion messages. */
export function describe (outcomes: Outcome[], limit = 8): string {
  const counts = new Map<string, number>()
  for (const o of outcomes) {
    const key = `${o.op}: ${o.status || o.error}${o.message ? ` ${JSON.stringify(o.message)}` : ''}${o.hung ? ' (hung)' : ''}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([key, n]) => `${n}× ${key}`).join('; ') || 'none'
}

/** Polls until `check` passes or the time is up; returns whether it passed. */
export async function eventually (check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true
    await sleep(everyMs)
  }
  return false
}
