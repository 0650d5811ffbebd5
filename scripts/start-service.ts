// `npm run start:questions | start:dbrunner | start:gateway`: one service of
// the standalone topology in this process, on its own port. questions and
// dbrunner serve HTTPS with mutual TLS; the gateway serves HTTP (or HTTPS with
// PUBLIC_TLS_*) and reaches the others at QUESTION_MANAGER_SERVICE_URL and
// DB_RUNNER_SERVICE_URL with its client certificate.
//
// node scripts/start-service.ts <questions|dbrunner|gateway> [--no-dotenv]
// (`npm run start:standalone` runs all three with --no-dotenv: it has read
// .env already and hands each child the effective settings.)
import { exitGracefully } from '../launcher/graceful-exit.ts'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig, type Config } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { checkDatabase, describeDatabase } from '../launcher/backing-services.ts'
import { startEmbeddedPostgres } from '../launcher/embedded-postgres.ts'
import { migrate } from '../lib/migrations.ts'
import { checkServiceTls, isServiceName, standaloneUrls, startService, type ServiceName, type StartedService } from '../launcher/standalone.ts'

const [name, ...flags] = process.argv.slice(2)
if (!name || !isServiceName(name)) {
  process.stderr.write('usage: node scripts/start-service.ts <questions|dbrunner|gateway> [--no-dotenv]\n')
  process.exit(2)
}
const service: ServiceName = name
const say = (line: string) => process.stderr.write(`[${service}] ${line}\n`)

const stops: (() => Promise<void>)[] = []
let startup: Promise<unknown> | undefined

async function stopAll () {
  for (const stop of stops.reverse()) await stop().catch(error => say(`did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`))
}

// A signal during startup waits for it, so what it started is stopped too.
const exit = exitGracefully({ say, graceMs: 20_000, stop: async () => { await startup?.catch(() => {}); await stopAll() } })
const shutdown = exit.shutdown
// Started by start:standalone: if that launcher dies, do not live on as an orphan.
process.on('disconnect', () => { shutdown('launcher gone', 1) })

// Alone, questions needs a database: DATABASE_URL, or an embedded one.
async function database (config: Config): Promise<void> {
  let url = config.DATABASE_URL
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR })
    stops.push(embedded.stop)
    url = embedded.url
    say(`PostgreSQL: embedded on 127.0.0.1:${embedded.port}, data in ${config.DATA_DIR}/postgres`)
  } else {
    say(`PostgreSQL: ${describeDatabase(url)}`)
  }
  await checkDatabase(url)
  const migrated = await migrate(url)
  if (migrated.applied.length > 0) say(`migrations: applied ${migrated.applied.join(', ')}`)
  process.env.DATABASE_URL = url
}

async function start (): Promise<StartedService> {
  if (!flags.includes('--no-dotenv')) applyDotEnv(fileURLToPath(new URL('..', import.meta.url)))
  const config = loadConfig()
  // Settings and TLS files first: a bad one stops startup before anything is started.
  standaloneUrls(config)
  checkServiceTls(config, service)
  if (service === 'questions') await database(config)
  const started = await startService(service, loadConfig(), say)
  stops.push(started.close)
  return started
}

startup = start()
try {
  const started = await (startup as ReturnType<typeof start>)
  if (!exit.stopping) {
    say(`listening on ${started.url}`)
    process.send?.({ type: 'ready', name: service, url: started.url })
  }
} catch (error) {
  if (exit.stopping) await new Promise(() => {}) // shutdown() exits
  say(error instanceof ConfigError ? `configuration error: ${error.message}` : `cannot start: ${error instanceof Error ? error.message : String(error)}`)
  await stopAll()
  process.exit(1)
}
