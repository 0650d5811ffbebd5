// deploy/compose.yaml is a valid Compose file (dclint: the Compose
// Specification's JSON schema and its lint rules), and its parts fit: the
// proxy health-checks /readyz on both instances, migrations run first, the
// instances run read-only with a drain before they stop.
import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DCLinter } from 'dclint'
import { stringify } from 'yaml'
import { composeFile, exampleEnvironment, interpolate, readCompose, runtimeServices } from './compose.ts'
import { deployDir, repositoryRoot } from './manifests.ts'

const compose = readCompose()
const env = exampleEnvironment()
const port = (name: string) => interpolate(String(runtimeServices(compose)[0][1].environment?.[name]), env)

const linter = new DCLinter({
  rules: {
    // Order and quoting are style: the file is ordered for its reader.
    'service-keys-order': 0,
    'services-alphabetical-order': 0,
    'top-level-properties-order': 0,
    'service-dependencies-alphabetical-order': 0,
    'service-ports-alphabetical-order': 0,
    'require-quotes-in-ports': 0,
    // Compose builds the image and names it, so every service runs the same one.
    'no-build-and-image': 0,
    // The proxy is the public entry point: it listens on every interface on purpose.
    'no-unbound-port-interfaces': 0
  },
  quiet: true,
  debug: false,
  exclude: []
})

interface LintResult { messages: { rule: string, line: number, message: string }[] }

function lintMessages (file: string): string[] {
  // dclint's declarations do not resolve under NodeNext: its result, typed here.
  const results: LintResult[] = linter.lintFiles([file], false)
  return results.flatMap(result => result.messages.map(message => `${message.rule} (line ${message.line}): ${message.message}`))
}

// haproxy.cfg as sections ("backend playground") of directive lines.
function haproxySections (): Map<string, string[]> {
  const sections = new Map<string, string[]>()
  let current: string[] = []
  for (const raw of readFileSync(join(deployDir, 'haproxy.cfg'), 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trimEnd()
    if (line.trim() === '') continue
    if (/^\S/.test(line)) {
      current = []
      sections.set(line.trim().replace(/\s+/g, ' '), current)
    } else {
      current.push(line.trim().replace(/\s+/g, ' '))
    }
  }
  return sections
}

t.test('compose.yaml is valid for the Compose Specification and its lint rules', async t => {
  t.same(lintMessages(composeFile), [], 'no schema error, no lint finding')
  const dir = mkdtempSync(join(tmpdir(), 'playground-compose-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const broken = structuredClone(compose)
  broken.services.redis = { ...broken.services.redis, restartt: 'always' } as never
  writeFileSync(join(dir, 'compose.yaml'), stringify(broken))
  t.match(lintMessages(join(dir, 'compose.yaml')).join(' '), /invalid-schema.*additional properties/, 'an unknown field is refused')
})

t.test('both instances build deploy/Containerfile and run locked down', async t => {
  for (const [name, service] of runtimeServices(compose)) {
    t.same(service.build, { context: '..', dockerfile: 'deploy/Containerfile' }, `${name}: the image of deploy/Containerfile`)
    t.ok(existsSync(join(deployDir, service.build!.context, service.build!.dockerfile)), `${name}: the build context is the repository root`)
    t.equal(service.read_only, true, `${name}: read-only root filesystem`)
    t.same(service.tmpfs, ['/tmp'], `${name}: a writable /tmp`)
    t.match(service.depends_on, {
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' }
    }, `${name}: starts after PostgreSQL, Redis and the migrations`)
    // The drain, then scripts/start.ts's graceful stop (at most 25 s).
    const drainSeconds = Number(interpolate(String(service.environment?.SHUTDOWN_DRAIN_MS), env)) / 1000
    t.ok(Number.parseInt(service.stop_grace_period ?? '10') >= drainSeconds + 25, `${name}: the stop grace period covers the drain and the stop`)
  }
  const migrate = compose.services.migrate
  t.same(migrate.command, ['node', 'scripts/db.ts', 'migrate'], 'migrate runs what npm run db:migrate runs')
  t.ok(existsSync(join(repositoryRoot, 'scripts/db.ts')))
})

t.test('PostgreSQL and Redis are their official images, with health checks', async t => {
  t.match(compose.services.postgres.image, /^postgres:\d+/)
  t.match(compose.services.redis.image, /^redis:\d+/)
  t.match(compose.services.postgres.healthcheck?.test, ['CMD', 'pg_isready'])
  t.match(compose.services.redis.healthcheck?.test, ['CMD', 'redis-cli', 'ping'])
  const [, app] = runtimeServices(compose)[0]
  const database = new URL(interpolate(String(app.environment?.DATABASE_URL), env))
  const postgres = compose.services.postgres.environment ?? {}
  t.equal(database.username, postgres.POSTGRES_USER, 'DATABASE_URL names the compose user')
  t.equal(database.pathname, `/${postgres.POSTGRES_DB}`, 'and its database')
  t.equal(decodeURIComponent(database.password), interpolate(String(postgres.POSTGRES_PASSWORD), env), 'and its password')
})

t.test('haproxy sends requests only to instances whose /readyz answers 200', async t => {
  const proxy = compose.services.proxy
  t.match(proxy.image, /^haproxy:\d/, 'the official haproxy image')
  t.ok(proxy.volumes?.includes('./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro'), 'with deploy/haproxy.cfg')
  const sections = haproxySections()

  const frontend = sections.get('frontend public') ?? []
  const bind = frontend.find(line => line.startsWith('bind '))?.match(/:(\d+)$/)?.[1]
  t.ok(proxy.ports?.some(mapping => interpolate(mapping, env).endsWith(`:${bind}`)), `the published port reaches bind :${bind}`)
  const backendName = frontend.find(line => line.startsWith('default_backend '))?.split(' ')[1]
  const backend = sections.get(`backend ${backendName}`)
  t.ok(backend, `backend ${backendName} exists`)

  t.ok(backend?.includes('option httpchk'), 'HTTP health checks')
  t.ok(backend?.includes('http-check send meth GET uri /readyz'), 'of GET /readyz')
  t.ok(backend?.includes('http-check expect status 200'), 'expecting 200')
  t.match(backend?.find(line => line.startsWith('default-server ')), /\bcheck\b/, 'on every server')

  const servers = (backend ?? []).filter(line => line.startsWith('server ')).map(line => line.split(' ')[2])
  t.same(servers, runtimeServices(compose).map(([name]) => `${name}:${port('PORT')}`), 'every instance, at PORT')
})
