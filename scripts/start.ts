// `npm start`: the whole system on embedded defaults. Starts PostgreSQL and
// Redis when no URL is given, applies migrations, runs the Platformatic
// runtime, and on Ctrl+C / SIGTERM stops everything it started.
import { ConfigError, loadConfig } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { repositoryRoot, startSystem, type System } from '../launcher/system.ts'
import { ensureWebBuilt } from './web-build.ts'
import { exitGracefully } from '../launcher/graceful-exit.ts'

const say = (line: string) => process.stderr.write(`[playground] ${line}\n`)

let system: System | undefined
let startup: Promise<System> | undefined

const exit = exitGracefully({
  say,
  graceMs: 25_000,
  // A signal during startup waits for it, so what it started is stopped too.
  stop: async () => { await (system ?? await startup?.catch(() => undefined))?.close() }
})

try {
  applyDotEnv(repositoryRoot)
  const config = loadConfig()
  // Without the page the API still works; the gateway then says how to build it.
  await ensureWebBuilt({ log: say }).catch(error => say(`warning: the web page could not be built: ${error instanceof Error ? error.message : String(error)}`))
  startup = startSystem(config, say)
  system = await startup
  say(`API:       ${system.url}`)
  say(`API docs:  ${system.url}/openapi/docs  (OpenAPI document: ${system.url}/openapi.json)`)
  say(`Health:    ${system.url}/healthz`)
  say(`Metrics:   http://${config.HOSTNAME}:${config.METRICS_PORT}/metrics`)
} catch (error) {
  if (exit.stopping) await new Promise(() => {}) // shutdown() exits
  say(error instanceof ConfigError ? `configuration error: ${error.message}` : `cannot start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
