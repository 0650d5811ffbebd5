import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { repositoryRoot } from '../../launcher/system.ts'

export interface Launched {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

// Runs a launcher script (by default `scripts/start.ts`, what `npm start`
// runs) as its own process.
export function launch (env: Record<string, string>, script = 'scripts/start.ts', args: string[] = []): Launched {
  const child = spawn(process.execPath, [join(repositoryRoot, script), ...args], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', chunk => { output += chunk })
  child.stderr?.on('data', chunk => { output += chunk })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  return { child, output: () => output, exited }
}

export async function waitForOutput (launched: Launched, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const match = launched.output().match(pattern)
    if (match) return match
    if (launched.child.exitCode !== null) throw new Error(`exited (${launched.child.exitCode}) before printing ${pattern}:\n${launched.output()}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${pattern}:\n${launched.output()}`)
}

export function childPids (pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().split('\n').map(Number).filter(Boolean)
  } catch {
    return []
  }
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
