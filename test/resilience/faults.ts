// Servers a test can kill and bring back on the same port and data dir
// (PostgreSQL, Redis), and the processes a system leaves behind.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { stopChild } from '../../launcher/child-process.ts'
import { startEmbeddedPostgres } from '../../launcher/embedded-postgres.ts'
import { freePort } from '../../launcher/free-port.ts'
import { startRedisServer, type RedisServer } from '../../launcher/redis-server.ts'
import { repositoryRoot } from '../../launcher/system.ts'
import { childPids } from '../helpers/launcher.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

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
