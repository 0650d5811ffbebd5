import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'

// Fills unset variables from <root>/.env; what the environment already says wins.
export function loadDotEnv (root: string, env: NodeJS.ProcessEnv = process.env): void {
  let text: string
  try {
    text = readFileSync(join(root, '.env'), 'utf8')
  } catch {
    return
  }
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (env[key] === undefined) env[key] = value
  }
}
