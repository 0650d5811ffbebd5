// `npm start`: the whole system on embedded defaults. Starts PostgreSQL and
// Redis when no URL is given, applies migrations, runs the Platformatic
// runtime, and on Ctrl+C / SIGTERM stops everything it started.
import { create } from '@platformatic/runtime'
import { fileURLToPath } from 'node:url'
import { ConfigError, exportConfig, loadConfig } from '../lib/config.ts'
import { loadDotEnv } from '../lib/dotenv.ts'
import { startBackingServices } from '../lib/backing-services.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const say = (line: string) => process.stderr.write(`[playground] ${line}\n`)

loadDotEnv(root)

let config
try {
  config = loadConfig()
} catch (error) {
  say(error instanceof ConfigError ? `configuration error: ${error.message}` : String(error))
  process.exit(1)
}

let services: Awaited<ReturnType<typeof startBackingServices>>
try {
  services = await startBackingServices(config, say)
} catch (error) {
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
for (const note of services.notes) say(note)

// The runtime's configuration files and workers read the effective settings
// from the environment.
Object.assign(process.env, exportConfig(config), {
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl
})

let runtime: Awaited<ReturnType<typeof create>> | undefined
let stopping = false

async function shutdown (signal: string, code: number) {
  if (stopping) {
    say(`${signal} again: forcing exit`)
    process.exit(1)
  }
  stopping = true
  say(`${signal}: stopping`)
  const force = setTimeout(() => {
    say('shutdown took too long; forcing exit')
    process.exit(1)
  }, 20_000)
  force.unref()
  try {
    await runtime?.close()
  } catch (error) {
    say(`runtime did not close cleanly: ${String(error)}`)
    code = code || 1
  }
  await services.stop()
  say('stopped')
  process.exit(code)
}

process.on('SIGINT', () => { shutdown('SIGINT', 0) })
process.on('SIGTERM', () => { shutdown('SIGTERM', 0) })

try {
  runtime = await create(root, 'platformatic.runtime.json', { start: true, setupSignals: false })
} catch (error) {
  say(`the runtime did not start: ${error instanceof Error ? error.message : String(error)}`)
  await services.stop()
  process.exit(1)
}

const url = runtime.getUrl()
say(`API:       ${url}`)
say(`API docs:  ${url}/openapi/docs  (OpenAPI document: ${url}/openapi.json)`)
say(`Health:    ${url}/healthz`)
if (config.METRICS_PORT !== 0) say(`Metrics:   http://${config.HOSTNAME}:${config.METRICS_PORT}/metrics`)
