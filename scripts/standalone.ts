// `npm run start:standalone`: the three services as separate processes on
// their own ports (gateway PORT, questions QUESTIONS_PORT, dbrunner
// DB_RUNNER_PORT), questions and dbrunner behind mutual TLS. Starts
// PostgreSQL and Redis like `npm start` when no URL is given, creates
// development certificates when the default ones are missing (never with
// NODE_ENV=production), and on Ctrl+C / SIGTERM stops the gateway, the two
// services, then Redis and PostgreSQL.
import { exitGracefully } from '../launcher/graceful-exit.ts'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, exportConfig, loadConfig, settings, type Config } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { startBackingServices, type BackingServices } from '../launcher/backing-services.ts'
import { stopChild } from '../launcher/child-process.ts'
import { createDevCertificates } from '../launcher/dev-certs.ts'
import { checkPorts, checkServiceTls, standaloneUrls, type ServiceName } from '../launcher/standalone.ts'
import { tlsFilePath } from '../lib/tls.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const say = (line: string) => process.stderr.write(`[standalone] ${line}\n`)

const mutualTlsFiles = ['TLS_CA_CERT_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'CLIENT_TLS_CERT_FILE', 'CLIENT_TLS_KEY_FILE'] as const

// Development convenience: with every TLS setting at its default and no file
// there yet, make the dev set in certs/ (what `npm run certs` does).
function ensureCertificates (config: Config): void {
  const missing = mutualTlsFiles.filter(name => !existsSync(tlsFilePath(config[name])))
  if (missing.length === 0) return
  const defaults = mutualTlsFiles.every(name => config[name] === settings[name].default)
  if (config.NODE_ENV === 'production' || !defaults || missing.length !== mutualTlsFiles.length) return // the check below names the file
  say('no certificates in certs/: creating a development CA and certificates (npm run certs)')
  createDevCertificates({ dir: join(root, 'certs') })
}

interface Child {
  name: ServiceName
  process: ChildProcess
  url?: string
}

const children: Child[] = []
let backing: Promise<BackingServices> | undefined

function startChild (name: ServiceName, env: Record<string, string>): Promise<Child> {
  const child: Child = {
    name,
    // Own process group: Ctrl+C reaches only this launcher, which stops the
    // services in order; an orphaned child notices the IPC channel close.
    process: spawn(process.execPath, [join(root, 'scripts/start-service.ts'), name, '--no-dotenv'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
  }
  children.push(child)
  return new Promise((resolve, reject) => {
    child.process.on('message', message => {
      const ready = message as { type?: string, url?: string }
      if (ready?.type === 'ready') {
        child.url = ready.url
        resolve(child)
      }
    })
    child.process.once('exit', (code, signal) => {
      if (!child.url) reject(new Error(`${name} did not start (exit ${code ?? signal})`))
      else if (!exit.stopping) shutdown(`${name} exited (${code ?? signal})`, 1)
    })
  })
}

async function stopEverything (): Promise<void> {
  // The gateway first (no new requests), then the services, then the servers.
  for (const name of ['gateway', 'dbrunner', 'questions'] as const) {
    const child = children.find(candidate => candidate.name === name)
    if (child) await stopChild(child.process, 15_000)
  }
  // Backing servers still starting are waited for, so they are stopped too.
  const services = await backing?.catch(() => undefined)
  await services?.stop()
}

const exit = exitGracefully({
  say,
  graceMs: 45_000,
  stop: stopEverything,
  onForce: () => { for (const child of children) child.process.kill('SIGKILL') }
})
const shutdown = exit.shutdown

async function start (): Promise<void> {
  applyDotEnv(root)
  const config = loadConfig()
  checkPorts(config)
  const urls = standaloneUrls(config)
  ensureCertificates(config)
  for (const name of ['questions', 'dbrunner', 'gateway'] as const) checkServiceTls(config, name)

  backing = startBackingServices(config, say)
  const services = await backing
  for (const note of services.notes) say(note)
  if (exit.stopping) return
  const env = {
    ...process.env,
    ...exportConfig(config),
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    QUESTION_MANAGER_SERVICE_URL: urls.questions,
    DB_RUNNER_SERVICE_URL: urls.dbrunner
  } as Record<string, string>

  const started = await Promise.all([startChild('questions', env), startChild('dbrunner', env)])
  if (exit.stopping) return
  const gateway = await startChild('gateway', env)
  if (exit.stopping) return
  say(`questions: ${started[0].url} (mutual TLS)`)
  say(`dbrunner:  ${started[1].url} (mutual TLS)`)
  say(`API:       ${gateway.url}`)
  say(`API docs:  ${gateway.url}/openapi/docs  (OpenAPI document: ${gateway.url}/openapi.json)`)
  say(`Health:    ${gateway.url}/healthz`)
}

try {
  await start()
} catch (error) {
  if (!exit.stopping) {
    say(error instanceof ConfigError ? `configuration error: ${error.message}` : `cannot start: ${error instanceof Error ? error.message : String(error)}`)
    await shutdown('cannot start', 1)
  }
}
