// Starts a private redis-server on a free loopback port. The cache holds only
// recomputable results, so nothing is persisted to disk.
import { findProgram } from './find-program.ts'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { delimiter, join, resolve } from 'node:path'
import { accessSync, constants } from 'node:fs'
import { freePort } from './free-port.ts'
import { stopChild } from './child-process.ts'

export interface RedisServer {
  url: string
  port: number
  process: ChildProcess
  stop: () => Promise<void>
}

export function findRedisServer (env: NodeJS.ProcessEnv = process.env): string | null {
  return findProgram('redis-server', env)
}

export async function startRedisServer (options: { dataDir: string, binary?: string, port?: number }): Promise<RedisServer> {
  const binary = options.binary ?? findRedisServer()
  if (!binary) throw new Error('redis-server is not on PATH (Debian: apt-get install -y redis-server)')
  const dir = resolve(options.dataDir, 'redis')
  await mkdir(dir, { recursive: true })
  const port = options.port ?? await freePort()

  const child = spawn(binary, [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--maxmemory', '256mb',
    '--maxmemory-policy', 'allkeys-lru'
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })

  await new Promise<void>((resolvePromise, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData)
        child.off('exit', onExit)
        resolvePromise()
      }
    }
    const onExit = (code: number | null) => reject(new Error(`redis-server exited with code ${code} before it was ready: ${output.trim().split('\n').slice(-3).join(' | ')}`))
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
    child.once('error', reject)
  })
  // Keep draining its output so a full pipe never blocks the server.
  child.stdout?.resume()
  child.stderr?.resume()

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: () => stopChild(child)
  }
}
