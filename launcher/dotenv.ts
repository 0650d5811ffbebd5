import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { ConfigError } from '../lib/config.ts'

export function readDotEnv (root: string): Record<string, string> | null {
  try {
    return parseEnv(readFileSync(join(root, '.env'), 'utf8')) as Record<string, string>
  } catch {
    return null
  }
}

// Platformatic lets <root>/.env override the environment when it fills in its
// configuration files, so the launcher follows the same rule: one answer to
// "which value is in force".
export function applyDotEnv (root: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = readDotEnv(root)
  if (!file) return
  for (const name of ['DATABASE_URL', 'REDIS_URL']) {
    if (file[name] === '') {
      throw new ConfigError(name, `.env sets it to an empty value, which would hide the server npm start provides; remove the line to use the embedded default, or give a URL`)
    }
  }
  Object.assign(env, file)
}
