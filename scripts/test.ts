// `npm test`: starts one real PostgreSQL and one real Redis for the whole run,
// hands their URLs to the tap suites, and stops them afterwards. What it needs
// from Debian (redis-server, Chromium) it installs when missing and root.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../launcher/embedded-postgres.ts'
import { findProgram } from '../launcher/find-program.ts'
import { findRedisServer, startRedisServer } from '../launcher/redis-server.ts'
import { repositoryRoot } from '../launcher/system.ts'
import { ensureWebBuilt } from './web-build.ts'
import { ensureDebianProgram, MissingProgramError } from './debian-package.ts'
import { chromiumPath } from '../test/web/chromium.ts'

const say = (line: string) => process.stderr.write(`[test] ${line}\n`)

// The browser suites are under test/web; a run of other files alone does not
// need Chromium.
const files = process.argv.slice(2).filter(arg => !arg.startsWith('-'))
const needsBrowser = files.length === 0 || files.some(file => /(^|\/)test(\/web)?\/?$|(^|\/)test\/web\//.test(file))
// The cluster suites put haproxy in front of several instances.
const needsHaproxy = files.length === 0 || files.some(file => /(^|\/)test(\/cluster)?\/?$|(^|\/)test\/cluster\//.test(file))

let redisBinary: string
try {
  redisBinary = ensureDebianProgram({ program: 'redis-server', debianPackage: 'redis-server', find: findRedisServer, neededFor: 'the result cache' }, say)
  if (needsHaproxy) {
    process.env.TEST_HAPROXY_BINARY = ensureDebianProgram({ program: 'haproxy', debianPackage: 'haproxy', find: () => findProgram('haproxy'), neededFor: 'the cluster tests (a load balancer in front of several instances)' }, say)
  }
  if (needsBrowser) {
    ensureDebianProgram({ program: 'Chromium', debianPackage: 'chromium', find: () => existsSync(chromiumPath) ? chromiumPath : null, neededFor: 'the browser tests of the web page' }, say)
  }
} catch (error) {
  if (!(error instanceof MissingProgramError)) throw error
  say(error.message)
  process.exit(1)
}
// Built once here, so suites that load the page never build it at the same time.
await ensureWebBuilt({ log: say })
const dataDir = await mkdtemp(join(tmpdir(), 'playground-test-'))
const postgres = await startEmbeddedPostgres({ dataDir, database: 'postgres' })
const redis = await startRedisServer({ dataDir, binary: redisBinary })
say(`PostgreSQL on port ${postgres.port}, Redis on port ${redis.port}, data in ${dataDir}`)

let exiting = false
async function cleanUp () {
  await redis.stop()
  await postgres.stop()
  await rm(dataDir, { recursive: true, force: true })
}

const tap = spawn(join(repositoryRoot, 'node_modules/.bin/tap'), process.argv.slice(2), {
  cwd: repositoryRoot,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: {
    ...process.env,
    TEST_POSTGRES_URL: postgres.url,
    TEST_REDIS_URL: redis.url,
    TEST_REDIS_BINARY: redisBinary
  }
})

// tap's closing summary, e.g. `# { total: 70, pass: 69, fail: 1 }`, read to
// print one plain `N passed, N failed` line at the very end.
let summary: Record<string, number> | undefined
let pending = ''
tap.stdout?.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  pending += chunk.toString()
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  for (const line of lines) {
    const match = line.match(/^# \{ (total: \d+.*) \}$/)
    if (match) summary = Object.fromEntries(match[1].split(', ').map(pair => pair.split(': ')).map(([key, value]) => [key, Number(value)]))
  }
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!exiting) tap.kill(signal)
  })
}

tap.on('exit', async (code, signal) => {
  exiting = true
  await cleanUp()
  if (summary) {
    const skipped = (summary.skip ?? 0) + (summary.todo ?? 0)
    process.stdout.write(`tests: ${summary.pass ?? 0} passed, ${summary.fail ?? 0} failed${skipped ? `, ${skipped} skipped` : ''}\n`)
  }
  process.exit(code ?? (signal ? 1 : 0))
})
