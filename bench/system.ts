// The system the bench measures, all private: PostgreSQL and redis-server in
// a temp dir, an OpenID provider set up as Logto, the runtime as `node scripts/start.ts` in
// production mode, and the questions application alone in a second process.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { stopChild } from '../launcher/child-process.ts'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../launcher/embedded-postgres.ts'
import { freePort } from '../launcher/free-port.ts'
import { startRedisServer, type RedisServer } from '../launcher/redis-server.ts'
import { loadSeeds } from '../lib/seed.ts'
import { readDotEnv } from '../launcher/dotenv.ts'
import { repositoryRoot } from '../launcher/system.ts'
import { startOidcProvider, type OidcProvider } from '../test/helpers/oidc-provider.ts'
import { launch, waitForOutput, type Launched } from '../test/helpers/launcher.ts'

const benchDir = fileURLToPath(new URL('.', import.meta.url))

// What `npm start` (and the image) give the runtime's process: fewer glibc
// malloc arenas, and a small young generation for its main thread (the
// applications' threads get theirs from `health` in platformatic.runtime.json).
const asNpmStart = { MALLOC_ARENA_MAX: '2', NODE_OPTIONS: '--max-semi-space-size=4' }

export type Cleanups = Array<() => Promise<unknown>>

export interface BenchSystem {
  dataDir: string
  postgres: EmbeddedDatabase
  redis: RedisServer
  logto: OidcProvider
  system: Launched
  systemUrl: string
  /** the runtime's Prometheus endpoint */
  metricsUrl: string
  direct: ChildProcess
  directUrl: string
}

// A runtime of the bench's own in a process of its own, on loopback: it
// prints `${marker} <url>` once it listens.
async function spawnRuntime (script: string, args: string[], env: Record<string, string>, marker: string, what: string): Promise<{ child: ChildProcess, url: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [join(benchDir, script), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...asNpmStart, BENCH_DIRECT_PORT: String(port), BARE_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', chunk => { output += chunk })
  child.stderr?.on('data', chunk => { output += chunk })
  const deadline = Date.now() + 60_000
  while (!new RegExp(`${marker} http`).test(output)) {
    if (child.exitCode !== null) throw new Error(`${what} exited: ${output}`)
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${output}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return { child, url: `http://127.0.0.1:${port}` }
}

const startDirectQuestions = (databaseUrl: string, extraEnv: Record<string, string>) =>
  spawnRuntime('questions-direct.ts', [], { DATABASE_URL: databaseUrl, ...extraEnv }, 'DIRECT', 'the standalone questions service')

/** The bare floor (bench/bare): three trivial applications, or the db one alone. */
export async function startBareRuntime (cleanups: Cleanups, postgresUrl: string, direct: boolean): Promise<{ child: ChildProcess, url: string }> {
  const started = await spawnRuntime('bare/runtime.ts', direct ? ['direct'] : [], { BARE_DATABASE_URL: postgresUrl }, 'BARE', `the bare runtime${direct ? ' (db alone)' : ''}`)
  cleanups.push(() => stopChild(started.child))
  return started
}

/** Starts everything; `cleanups` receives the stops, to be run in reverse order. */
export async function startBenchSystem (cleanups: Cleanups, extraEnv: Record<string, string> = {}): Promise<BenchSystem> {
  if (readDotEnv(repositoryRoot)) {
    // The launcher lets .env win over its environment: the bench would
    // measure whatever servers and ports .env names.
    throw new Error('.env exists at the repository root: the launched runtime would read it over the bench settings; move it aside while the bench runs')
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-bench-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const postgres = await startEmbeddedPostgres({ dataDir })
  cleanups.push(postgres.stop)
  const redis = await startRedisServer({ dataDir })
  cleanups.push(redis.stop)
  const logto = await startOidcProvider({ resource: 'https://bench.playground.local' })
  cleanups.push(() => logto.close())

  // Production behaviour everywhere; sign-in through the OpenID provider, since
  // production refuses the dev issuer.
  const metricsPort = await freePort()
  const system = launch({
    NODE_ENV: 'production',
    LOGTO_DOMAIN: logto.domain,
    GATEWAY_RESOURCE_INDICATOR: logto.resource,
    LOG_LEVEL: 'warn',
    CHALLENGE_RATE_LIMIT: '100000',
    API_RATE_LIMIT: '1000000',
    COMPARE_RATE_LIMIT: '100000',
    COMPARES_PER_QUESTION_HOUR: '100000',
    ...asNpmStart,
    HOSTNAME: '127.0.0.1',
    PORT: String(await freePort()),
    METRICS_PORT: String(metricsPort),
    DATA_DIR: dataDir,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    ...extraEnv
  })
  cleanups.push(async () => {
    if (system.child.exitCode !== null) return
    system.child.kill('SIGTERM')
    const timer = setTimeout(() => system.child.kill('SIGKILL'), 30_000)
    await system.exited
    clearTimeout(timer)
  })
  const [, systemUrl] = await waitForOutput(system, /API:\s+(http:\/\/\S+)/, 90_000) as [string, string]

  // Production never seeds by itself; the runtime has applied the migrations.
  const client = new pg.Client({ connectionString: postgres.url })
  await client.connect()
  await loadSeeds(client)
  await client.end()

  const direct = await startDirectQuestions(postgres.url, extraEnv)
  cleanups.push(() => stopChild(direct.child, 10_000))
  return { dataDir, postgres, redis, logto, system, systemUrl, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, direct: direct.child, directUrl: direct.url }
}
