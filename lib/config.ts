// The one table of settings read from the environment. The launcher, every
// service and `.env.example` (checked by a test) all follow this table.

export class ConfigError extends Error {
  variable: string

  constructor (variable: string, message: string) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
    this.variable = variable
  }
}

type Parser<T> = (raw: string, name: string) => T

interface Setting<T> {
  default: string
  description: string
  parse: Parser<T>
}

function integer (min: number, max: number): Parser<number> {
  return (raw, name) => {
    if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`)
    const value = Number(raw)
    if (value < min || value > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`)
    return value
  }
}

function oneOf<const T extends string> (...choices: T[]): Parser<T> {
  return (raw, name) => {
    if (!(choices as string[]).includes(raw)) throw new ConfigError(name, `expected one of ${choices.join(', ')}, got "${raw}"`)
    return raw as T
  }
}

function url (protocols: string[]): Parser<string> {
  return (raw, name) => {
    if (raw === '') return ''
    let parsed: URL
    try {
      parsed = new URL(raw)
    } catch {
      throw new ConfigError(name, 'is not a valid URL')
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got "${parsed.protocol}"`)
    }
    return raw.replace(/\/+$/, '')
  }
}

const text: Parser<string> = raw => raw

function origins (raw: string, name: string): string[] {
  const list = raw.split(',').map(item => item.trim()).filter(Boolean)
  for (const origin of list) {
    if (origin === '*') continue
    let parsed: URL
    try {
      parsed = new URL(origin)
    } catch {
      throw new ConfigError(name, `"${origin}" is not an origin like https://app.example.org`)
    }
    if (parsed.origin !== origin.replace(/\/$/, '')) throw new ConfigError(name, `"${origin}" is not an origin like https://app.example.org`)
  }
  return list
}

function ratio (raw: string, name: string): number {
  const value = Number(raw)
  if (!/^\d*\.?\d+$/.test(raw) || value > 1) throw new ConfigError(name, `expected a number from 0 to 1, got "${raw}"`)
  return value
}

function hostname (raw: string, name: string): string {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(raw)) throw new ConfigError(name, `is not a host name or address: "${raw}"`)
  return raw
}

export const settings = {
  NODE_ENV: { default: 'development', description: 'development or production; production refuses dev auth and never loads seeds by itself', parse: oneOf('development', 'production', 'test') },
  PORT: { default: '3100', description: 'Port of the public gateway', parse: integer(0, 65535) },
  HOSTNAME: { default: '127.0.0.1', description: 'Address the public gateway listens on', parse: hostname },
  DATA_DIR: { default: '.data', description: 'Folder for embedded PostgreSQL and Redis data (git-ignored)', parse: text },
  DATABASE_URL: { default: '', description: 'PostgreSQL connection string; empty starts an embedded PostgreSQL under DATA_DIR', parse: url(['postgres:', 'postgresql:']) },
  REDIS_URL: { default: '', description: 'Redis connection string; empty starts redis-server from PATH, or falls back to an in-process cache', parse: url(['redis:', 'rediss:']) },
  REDIS_KEY_PREFIX: { default: 'dbp:', description: 'Prefix of every key this system keeps in Redis (results, rate limits), so systems can share one Redis', parse: text },
  LOGTO_DOMAIN: { default: '', description: 'Logto endpoint, e.g. https://tenant.logto.app; empty turns on dev auth outside production', parse: url(['https:', 'http:']) },
  LOGTO_APP_ID: { default: '', description: 'Logto application id (single-page app) of the web page; empty: the page offers no Logto sign-in', parse: text },
  GATEWAY_RESOURCE_INDICATOR: { default: '', description: 'Logto API resource indicator that access tokens must name in aud', parse: text },
  LOG_LEVEL: { default: 'info', description: 'fatal, error, warn, info, debug, trace or silent', parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
  CORS_ORIGINS: { default: '', description: 'Comma-separated origins allowed to call the API from a browser (same origin always works)', parse: origins },
  CHALLENGE_RATE_LIMIT: { default: '30', description: 'Most POST /challenges per user per minute; beyond it: 429 with Retry-After', parse: integer(1, 100_000) },
  API_RATE_LIMIT: { default: '600', description: 'Most requests per user per minute to any operation that needs a token; beyond it: 429 with Retry-After', parse: integer(1, 1_000_000) },
  COMPARE_RATE_LIMIT: { default: '60', description: 'Most GET /challenges/{id}/compare per user per minute; beyond it: 429 with Retry-After', parse: integer(1, 100_000) },
  COMPARES_PER_QUESTION_HOUR: { default: '20', description: 'Most compares per user and question in any hour (each tells at most one bit of the hidden datasets); beyond it: 429 with Retry-After', parse: integer(1, 100_000) },
  STARTING_POINTS: { default: '100', description: 'Points a new user starts with', parse: integer(0, 1_000_000) },
  POINTS_EASY: { default: '10', description: 'Points for first solving an easy question', parse: integer(0, 1_000_000) },
  POINTS_MEDIUM: { default: '20', description: 'Points for first solving a medium question', parse: integer(0, 1_000_000) },
  POINTS_HARD: { default: '30', description: 'Points for first solving a hard question', parse: integer(0, 1_000_000) },
  SOLUTION_COST: { default: '20', description: 'Points a user pays the first time they open a solution', parse: integer(0, 1_000_000) },
  LEADERBOARD_PSEUDONYM_KEY: { default: 'database-playground-pseudonyms', description: 'Key of the keyed hash that names users without a display name on the leaderboard ("Learner 4f2a9c1e", the same for a user every time); set a secret of your own so the names cannot be linked to user ids', parse: text },
  // Standalone mode and mutual TLS (one block, kept together).
  QUESTION_MANAGER_SERVICE_URL: { default: 'http://questions.plt.local', description: 'Where the other services reach the questions service (the runtime mesh by default)', parse: url(['http:', 'https:']) },
  DB_RUNNER_SERVICE_URL: { default: 'http://dbrunner.plt.local', description: 'Where the other services reach the SQL runner (the runtime mesh by default)', parse: url(['http:', 'https:']) },
  QUESTIONS_PORT: { default: '3101', description: 'Standalone mode: HTTPS port of the questions service (on HOSTNAME)', parse: integer(1, 65535) },
  DB_RUNNER_PORT: { default: '3102', description: 'Standalone mode: HTTPS port of the SQL runner (on HOSTNAME)', parse: integer(1, 65535) },
  TLS_CA_CERT_FILE: { default: 'certs/ca.crt', description: 'Standalone mode: the project CA certificate (PEM); the only issuer trusted for service-to-service TLS. Relative paths are from the project folder', parse: text },
  TLS_CERT_FILE: { default: 'certs/server.crt', description: 'Standalone mode: server certificate (PEM) of questions and dbrunner, issued by the project CA', parse: text },
  TLS_KEY_FILE: { default: 'certs/server.key', description: 'Standalone mode: private key (PEM) of TLS_CERT_FILE', parse: text },
  CLIENT_TLS_CERT_FILE: { default: 'certs/client.crt', description: 'Standalone mode: client certificate (PEM) a service presents when it calls another, issued by the project CA', parse: text },
  CLIENT_TLS_KEY_FILE: { default: 'certs/client.key', description: 'Standalone mode: private key (PEM) of CLIENT_TLS_CERT_FILE', parse: text },
  PUBLIC_TLS_CERT_FILE: { default: '', description: 'Standalone mode: certificate (PEM) for public HTTPS on the gateway; empty serves plain HTTP', parse: text },
  PUBLIC_TLS_KEY_FILE: { default: '', description: 'Standalone mode: private key (PEM) of PUBLIC_TLS_CERT_FILE', parse: text },
  RUNNER_TIMEOUT_MS: { default: '1000', description: 'Wall-time limit of one SQL run, in milliseconds', parse: integer(50, 60_000) },
  RUNNER_MEMORY_MIB: { default: '64', description: 'Memory limit of one SQL run (SQLite heap), in MiB', parse: integer(8, 1024) },
  RUNNER_MAX_QUERY_BYTES: { default: '65536', description: 'Largest query text accepted, in bytes', parse: integer(256, 10_485_760) },
  RUNNER_MAX_ROWS: { default: '1000', description: 'Most rows a result may have', parse: integer(1, 1_000_000) },
  RUNNER_MAX_RESULT_BYTES: { default: '1048576', description: 'Largest result, in bytes', parse: integer(1024, 104_857_600) },
  RUNNER_CACHE_MIB_PER_USER_HOUR: { default: '64', description: 'Most result bytes (MiB) one user\'s runs may add to the cache per hour; beyond it results are served but not cached', parse: integer(1, 100_000) },
  RUNNER_POOL_SIZE: { default: '0', description: 'SQL runner worker threads; 0 sizes the pool to the machine', parse: integer(0, 256) },
  RUNNER_MIN_WORKERS: { default: '1', description: 'SQL runner worker threads kept started when idle; more start on demand up to RUNNER_POOL_SIZE (each costs 16-23 MiB)', parse: integer(0, 256) },
  RUNNER_WORKER_IDLE_MS: { default: '60000', description: 'A SQL runner worker idle this long is stopped, down to RUNNER_MIN_WORKERS, in milliseconds', parse: integer(1000, 86_400_000) },
  RUNNER_WORKER_MAX_WASM_MIB: { default: '64', description: 'A SQL runner worker whose WebAssembly memory grew past this is replaced after its run, in MiB (it starts at about 21; a run that reaches RUNNER_MEMORY_MIB=64 grows it to about 91)', parse: integer(24, 4096) },
  RUNNER_USER_CONCURRENCY: { default: '1', description: 'Most SQL runs of one user at once; the rest wait their turn, and users with the least runner time used go first', parse: integer(1, 256) },
  RUNNER_USER_BUDGET_MS: { default: '10000', description: 'SQL runner time one user may use per sliding minute, in milliseconds (a timeout counts as RUNNER_TIMEOUT_MS); beyond it: 429 saying when to try again; 0: no limit', parse: integer(0, 3_600_000) },
  GATEWAY_WORKERS: { default: '1', description: 'Worker threads of the gateway application (Platformatic workers): more use more cores of a bigger machine', parse: integer(1, 64) },
  QUESTIONS_WORKERS: { default: '1', description: 'Worker threads of the questions application', parse: integer(1, 64) },
  DB_RUNNER_WORKERS: { default: '1', description: 'Worker threads of the runner application (each has its own sandbox pool of RUNNER_POOL_SIZE)', parse: integer(1, 64) },
  SHUTDOWN_DRAIN_MS: { default: '0', description: 'On SIGTERM, how long /readyz answers 503 while the instance still serves, before it stops (give load balancers time to move new requests elsewhere)', parse: integer(0, 120_000) },
  METRICS_PORT: { default: '9090', description: 'Port of the Prometheus metrics endpoint (/metrics), on HOSTNAME', parse: integer(1, 65535) },
  // Tracing: the standard OpenTelemetry names, which the SDK in each
  // application reads from the environment as well.
  OTEL_EXPORTER_OTLP_ENDPOINT: { default: '', description: 'OpenTelemetry collector (OTLP over HTTP, protobuf), e.g. http://otel-collector:4318; traces are sent to its /v1/traces. Empty: no tracing. (npm start derives the runtime\'s switch TRACING_ENABLED from it; `wattpm start` reads TRACING_ENABLED=true or false from .env)', parse: url(['http:', 'https:']) },
  OTEL_TRACES_SAMPLER: { default: 'parentbased_traceidratio', description: 'Which requests are traced: parentbased_* follow the caller\'s traceparent decision, traceidratio ones keep OTEL_TRACES_SAMPLER_ARG of the traces', parse: oneOf('parentbased_traceidratio', 'traceidratio', 'parentbased_always_on', 'always_on', 'parentbased_always_off', 'always_off') },
  OTEL_TRACES_SAMPLER_ARG: { default: '1', description: 'Share of traces kept by the traceidratio samplers, from 0 to 1 (e.g. 0.1 on a busy system)', parse: ratio }
} satisfies Record<string, Setting<unknown>>

export type SettingName = keyof typeof settings
export type Config = { [K in SettingName]: ReturnType<(typeof settings)[K]['parse']> }

export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const config: Record<string, unknown> = {}
  for (const [name, setting] of Object.entries(settings) as [SettingName, Setting<unknown>][]) {
    const raw = env[name]
    config[name] = setting.parse(raw === undefined || raw === '' ? setting.default : raw.trim(), name)
  }
  return config as Config
}

// Back to environment form, defaults filled in, for child processes and the
// runtime's configuration templates. TRACING_ENABLED is derived, not a
// setting: platformatic.runtime.json turns telemetry on with it, since a
// template cannot test whether OTEL_EXPORTER_OTLP_ENDPOINT is empty.
export function exportConfig (config: Config): Record<string, string> {
  const env = Object.fromEntries(Object.entries(config).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]))
  return { ...env, TRACING_ENABLED: String(config.OTEL_EXPORTER_OTLP_ENDPOINT !== '') }
}
