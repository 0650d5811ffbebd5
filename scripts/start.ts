// `npm start`: the whole system on embedded defaults. Starts PostgreSQL and
// Redis when no URL is given, applies migrations, runs the Platformatic
// runtime, and on Ctrl+C / SIGTERM stops everything it started.
import { ConfigError, loadConfig } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { repositoryRoot, startSystem, type System } from '../launcher/system.ts'
import { ensureWebBuilt } from './web-build.ts'
import { exitGracefully } from '../launcher/graceful-exit.ts'
import { announceDraining } from '../lib/lifecycle.ts'

const say = (line: string) => process.stderr.write(`[playground] ${line}\n`)

let system: System | undefined
let startup: Promise<System> | undefined

// Read before anything starts, so a signal knows how long to drain.
let drainMs = 0

const exit = exitGracefully({
  say,
  graceMs: () => 25_000 + drainMs,
  // A signal during startup waits for it, so what it started is stopped too.
  stop: async () => {
    const running = system ?? await startup?.catch(() => undefined)
    if (running && drainMs > 0) {
      // Readiness turns 503 at once; requests keep being served meanwhile.
      announceDraining()
      say(`draining for ${drainMs} ms`)
      await new Promise(resolve => setTimeout(resolve, drainMs))
    }
    await running?.close()
  }
})

try {
  applyDotEnv(repositoryRoot)
  const config = loadConfig()
  drainMs = config.SHUTDOWN_DRAIN_MS
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
