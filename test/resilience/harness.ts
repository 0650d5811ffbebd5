// Shared by the resilience suites: private PostgreSQL and Redis that a test
// can kill and bring back on the same port and data dir, the system as
// `node scripts/start.ts` in its own process, and a steady mixed load that
// records what every request got.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../../launcher/free-port.ts'
import { readDotEnv } from '../../launcher/dotenv.ts'
import { repositoryRoot } from '../../launcher/system.ts'
import { childPids, isAlive, launch, waitForOutput, type Launched } from '../helpers/launcher.ts'
import { startPostgres, startRedis } from './faults.ts'
import { REQUEST_TIMEOUT_MS } from './load.ts'

export * from './faults.ts'
export * from './load.ts'
interface Teardown { teardown: (fn: () => unknown) => void }
interface TestContext extends Teardown {
  passing: () => boolean
  comment: (...message: unknown[]) => void
}



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
