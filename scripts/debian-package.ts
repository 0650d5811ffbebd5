// A program the test run needs from Debian (redis-server, chromium): found
// where it is, installed with apt-get when it is missing and we are root, and
// otherwise a clear sentence saying what to install.
import { execFileSync } from 'node:child_process'
import { userInfo } from 'node:os'

export interface DebianProgram {
  /** what it is called in messages, e.g. 'redis-server' */
  program: string
  /** the Debian package that brings it */
  debianPackage: string
  /** its path when it is there, else null */
  find: () => string | null
  /** what it is needed for, for the messages */
  neededFor: string
}

export class MissingProgramError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'MissingProgramError'
  }
}

let listsUpdated = false

/** The program's path, after installing its package if needed; MissingProgramError otherwise. */
export function ensureDebianProgram (wanted: DebianProgram, log: (line: string) => void): string {
  const found = wanted.find()
  if (found) return found
  const command = `apt-get install -y ${wanted.debianPackage}`
  if (process.platform !== 'linux' || userInfo().uid !== 0) {
    throw new MissingProgramError(`${wanted.program} is not installed; it is needed for ${wanted.neededFor}. ` +
      `Install it (Debian/Ubuntu: sudo ${command}) and run the tests again.`)
  }
  log(`${wanted.program} is missing (needed for ${wanted.neededFor}): ${command}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    // Once per run: a fresh machine has no package lists at all.
    if (!listsUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    listsUpdated = true
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', wanted.debianPackage], { stdio: ['ignore', 'ignore', 'inherit'], env })
  } catch (error) {
    throw new MissingProgramError(`${command} failed (${(error as Error).message.split('\n')[0]}); install ${wanted.debianPackage} by hand and run the tests again.`)
  }
  const installed = wanted.find()
  if (!installed) throw new MissingProgramError(`${wanted.program} is still not found after ${command}`)
  return installed
}
