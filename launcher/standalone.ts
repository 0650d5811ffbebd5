// Standalone mode: one Platformatic application per process, on its own port.
// questions and dbrunner serve HTTPS only and require a client certificate
// issued by the project CA; every call between services presents the client
// certificate and trusts only the project CA. The same application folders
// and platformatic.json files as the runtime, with the server options given
// here instead of by the runtime.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setGlobalDispatcher, type Dispatcher } from 'undici'
import { ConfigError, type Config } from '../lib/config.ts'
import {
  clientCertificateHook,
  createServiceDispatcher,
  loadClientTls,
  loadPublicTls,
  loadServerTls,
  mutualTlsServerOptions
} from '../lib/tls.ts'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))

export const serviceNames = ['questions', 'dbrunner', 'gateway'] as const
export type ServiceName = typeof serviceNames[number]

export function isServiceName (name: string): name is ServiceName {
  return (serviceNames as readonly string[]).includes(name)
}

export function servicePort (config: Config, name: ServiceName): number {
  return name === 'gateway' ? config.PORT : name === 'questions' ? config.QUESTIONS_PORT : config.DB_RUNNER_PORT
}

// Where a client on this machine reaches HOSTNAME (a wildcard address is not
// a destination; the dev server certificate names 127.0.0.1).
function localHost (config: Config): string {
  const host = config.HOSTNAME
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1'
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

export interface ServiceUrls {
  questions: string
  dbrunner: string
}

// The runtime-mesh defaults (http://*.plt.local) mean "not set" here: the
// services are then on this machine at QUESTIONS_PORT / DB_RUNNER_PORT.
// Anything else must be https: the internal services serve nothing else.
export function standaloneUrls (config: Config): ServiceUrls {
  const pick = (setting: 'QUESTION_MANAGER_SERVICE_URL' | 'DB_RUNNER_SERVICE_URL', port: number) => {
    const value = config[setting]
    if (value === '' || new URL(value).hostname.endsWith('.plt.local')) return `https://${localHost(config)}:${port}`
    if (!value.startsWith('https:')) throw new ConfigError(setting, `standalone services serve HTTPS with mutual TLS only; expected an https:// URL, got "${value}"`)
    return value
  }
  return {
    questions: pick('QUESTION_MANAGER_SERVICE_URL', config.QUESTIONS_PORT),
    dbrunner: pick('DB_RUNNER_SERVICE_URL', config.DB_RUNNER_PORT)
  }
}

export function checkPorts (config: Config): void {
  const ports: [string, number][] = [['PORT', config.PORT], ['QUESTIONS_PORT', config.QUESTIONS_PORT], ['DB_RUNNER_PORT', config.DB_RUNNER_PORT]]
  for (const [name, port] of ports) {
    const other = ports.find(([otherName, otherPort]) => otherName !== name && otherPort === port && port !== 0)
    if (other) throw new ConfigError(name, `is ${port}, the same as ${other[0]}; each standalone service needs its own port`)
  }
}

// Every TLS file this service will read, checked now, so a missing or bad
// one stops startup with its setting's name instead of failing a request.
export function checkServiceTls (config: Config, name: ServiceName): void {
  if (name === 'gateway') loadPublicTls(config)
  else loadServerTls(config)
  loadClientTls(config)
}

type Factory = ((app: unknown, capability: unknown) => Promise<void>) & { [key: symbol]: unknown }

// The application factory with the client-certificate check in front: added
// before any route, so it covers every route and the 404 handler.
function withClientCertificateCheck (factory: Factory, hook: ReturnType<typeof clientCertificateHook>): Factory {
  const wrapped = (async (app: { addHook: (name: string, fn: unknown) => void }, capability: unknown) => {
    app.addHook('onRequest', hook)
    await factory(app, capability)
  }) as Factory
  // Runs in the root context, like the factory it wraps.
  wrapped[Symbol.for('skip-override')] = true
  return wrapped
}

interface Capability {
  url?: string
  start: (options: { listen: boolean }) => Promise<string>
  stop: () => Promise<void>
}

export interface StartedService {
  name: ServiceName
  url: string
  close: () => Promise<void>
}

async function waitForOpenApi (url: string, dispatcher: Dispatcher, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastReason = ''
  let lastSaid = 0
  while (true) {
    try {
      const response = await fetch(url, { dispatcher, signal: AbortSignal.timeout(5000) } as RequestInit)
      await response.body?.cancel()
      if (response.ok) return
      if (response.status === 401) throw new Error(`${url} refused the client certificate (401); is CLIENT_TLS_CERT_FILE issued by its CA?`)
      lastReason = `answered ${response.status}`
    } catch (error) {
      const cause = (error as { cause?: { code?: string, message?: string } }).cause
      const code = cause?.code ?? ''
      // A certificate problem does not go away by waiting.
      if (/CERT|SIGNATURE|ISSUER|ALTNAME|SELF_SIGNED/.test(code)) {
        throw new Error(`cannot reach ${url}: its server certificate is not accepted (${code}: ${cause?.message}); it must be issued by TLS_CA_CERT_FILE and name the host`)
      }
      if (!cause) throw error
      lastReason = `${code || cause.message}`
    }
    if (Date.now() > deadline) throw new Error(`${url} is not reachable after ${Math.round(timeoutMs / 1000)} s (${lastReason})`)
    if (Date.now() - lastSaid > 5000) {
      log(`waiting for ${url} (${lastReason})`)
      lastSaid = Date.now()
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

export async function startService (name: ServiceName, config: Config, log: (line: string) => void, options: { waitMs?: number } = {}): Promise<StartedService> {
  const dir = join(projectRoot, 'services', name)
  const applicationConfig = JSON.parse(readFileSync(join(dir, 'platformatic.json'), 'utf8'))
  const runtimeConfig = JSON.parse(readFileSync(join(projectRoot, 'platformatic.runtime.json'), 'utf8'))
  const urls = standaloneUrls(config)
  // What the services' own code reads (their clients of one another).
  process.env.QUESTION_MANAGER_SERVICE_URL = urls.questions
  process.env.DB_RUNNER_SERVICE_URL = urls.dbrunner

  // Platformatic 3.54 offers no supported way to give one application the
  // server options mutual TLS needs: its `server.https` settings take key,
  // cert, requestCert and rejectUnauthorized but no `ca`, so the client CA
  // cannot be named in platformatic.json, and an application started alone
  // takes its server options (and the factory that puts the certificate
  // check in front of every route) from the context given to `create`. This
  // is the one place that does so; the runtime never goes through it.
  const serverConfig: Record<string, unknown> = {
    hostname: config.HOSTNAME,
    port: servicePort(config, name),
    logger: { level: config.LOG_LEVEL, redact: runtimeConfig.logger?.redact }
  }
  const context: Record<string, unknown> = {
    applicationId: name,
    isEntrypoint: name === 'gateway',
    isProduction: true,
    serverConfig
  }

  let load: () => Promise<{ create: (root: string, config: object, context: object) => Promise<unknown> }>
  if (name === 'gateway') {
    const publicTls = loadPublicTls(config)
    if (publicTls) serverConfig.https = publicTls
    // The gateway's composition and proxy use undici's global dispatcher:
    // mutual TLS for the two services' origins, the system roots elsewhere.
    const dispatcher = createServiceDispatcher(loadClientTls(config), [urls.questions, urls.dbrunner])
    setGlobalDispatcher(dispatcher)
    applicationConfig.gateway.applications = applicationConfig.gateway.applications.map((application: { id: ServiceName, openapi?: { url: string } }) => ({
      ...application,
      origin: urls[application.id as keyof ServiceUrls]
    }))
    // The gateway composes what it can fetch at startup: wait for both.
    for (const application of applicationConfig.gateway.applications) {
      await waitForOpenApi(`${application.origin}${application.openapi?.url ?? '/documentation/json'}`, dispatcher, options.waitMs ?? 60_000, log)
    }
    load = () => import('@platformatic/gateway') as never
  } else {
    const tls = loadServerTls(config)
    loadClientTls(config)
    serverConfig.https = mutualTlsServerOptions(tls)
    const hook = clientCertificateHook(tls.ca.x509)
    if (name === 'questions') {
      const { platformaticDatabase } = await import('@platformatic/db')
      context.applicationFactory = withClientCertificateCheck(platformaticDatabase as unknown as Factory, hook)
      load = () => import('@platformatic/db') as never
    } else {
      const { platformaticService } = await import('@platformatic/service')
      context.applicationFactory = withClientCertificateCheck(platformaticService as unknown as Factory, hook)
      load = () => import('@platformatic/service') as never
    }
  }

  const { create } = await load()
  const capability = await create(dir, applicationConfig, context) as Capability
  try {
    await capability.start({ listen: true })
  } catch (error) {
    await capability.stop().catch(() => {})
    throw error
  }
  const url = capability.url ?? ''
  return { name, url, close: () => capability.stop() }
}
