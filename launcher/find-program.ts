import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Where an executable is: on PATH, or in Debian's usual folders; null when nowhere. */
export function findProgram (name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).concat('/usr/bin', '/usr/local/bin', '/usr/sbin', '/sbin')) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return null
}
