// Every setting of lib/config.ts is given, and given a value the settings
// table accepts, wherever the deploy files start the system: the
// Kubernetes ConfigMap and Secret of each variant, and compose.yaml.
import t from 'tap'
import { loadConfig, settings } from '../../lib/config.ts'
import { exampleEnvironment, interpolate, readCompose, runtimeServices } from './compose.ts'
import { render, settingsOf, variants } from './manifests.ts'

const settingNames = Object.keys(settings).sort()
// Secrets: credentials in the connection strings and the pseudonym key.
// TLS keys are files, in the Secrets cert-manager makes; their paths are
// plain settings.
const secretNames = ['DATABASE_URL', 'LEADERBOARD_PSEUDONYM_KEY', 'REDIS_URL']

for (const variant of variants) {
  t.test(`${variant}: the ConfigMap and the Secret give every setting once`, async t => {
    const { configMap, secret } = settingsOf(render(variant))
    t.same(Object.keys(secret).sort(), secretNames, 'the Secret holds the connection strings and the pseudonym key')
    t.same([...Object.keys(configMap), ...Object.keys(secret)].sort(), settingNames, 'together: every setting of lib/config.ts, nothing else')

    const config = loadConfig({ ...configMap, ...secret })
    t.equal(config.NODE_ENV, 'production')
    t.equal(config.HOSTNAME, '0.0.0.0', 'listens on the pod address, whatever HOSTNAME the pod gets')
    t.not(config.DATABASE_URL, '', 'no embedded PostgreSQL')
    t.not(config.REDIS_URL, '', 'no in-process cache')
  })
}

t.test('overlays/example: production sign-in is configured', async t => {
  const { configMap } = settingsOf(render('overlays/example'))
  const config = loadConfig(configMap)
  t.match(config.LOGTO_DOMAIN, /^https:\/\//, 'LOGTO_DOMAIN')
  t.not(config.GATEWAY_RESOURCE_INDICATOR, '', 'GATEWAY_RESOURCE_INDICATOR')
})

t.test('base: what only an overlay can know is left empty, not made up', async t => {
  const { configMap } = settingsOf(render('base'))
  t.equal(configMap.LOGTO_DOMAIN, '')
  t.equal(configMap.GATEWAY_RESOURCE_INDICATOR, '')
})

t.test('compose.yaml gives every runtime instance every setting', async t => {
  const compose = readCompose()
  const services = runtimeServices(compose)
  t.same(services.map(([name]) => name), ['app1', 'app2'])
  const env = exampleEnvironment()
  for (const [name, service] of services) {
    const environment = service.environment ?? {}
    t.same(Object.keys(environment).sort(), settingNames, `${name}: every setting of lib/config.ts, nothing else`)
    const values = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value), env)]))
    const config = loadConfig(values)
    t.equal(config.NODE_ENV, 'production', `${name}: production`)
    t.equal(config.HOSTNAME, '0.0.0.0', `${name}: listens on the container's address`)
    t.equal(new URL(config.DATABASE_URL).hostname, 'postgres', `${name}: the compose PostgreSQL`)
    t.equal(new URL(config.REDIS_URL).hostname, 'redis', `${name}: the compose Redis`)
    t.equal(config.LOGTO_DOMAIN, env.LOGTO_DOMAIN, `${name}: LOGTO_DOMAIN from deploy/.env`)
    t.ok(config.SHUTDOWN_DRAIN_MS > 0, `${name}: drains before it stops, so haproxy can move away`)
  }
})

t.test('compose.yaml refuses to start without the production settings', async t => {
  const [, service] = runtimeServices(readCompose())[0]
  const environment = service.environment ?? {}
  for (const required of ['POSTGRES_PASSWORD', 'LOGTO_DOMAIN', 'GATEWAY_RESOURCE_INDICATOR', 'LEADERBOARD_PSEUDONYM_KEY']) {
    const env = { ...exampleEnvironment(), [required]: '' }
    t.throws(() => Object.values(environment).map(value => interpolate(String(value), env)), new RegExp(`^${required}: set ${required} in deploy/.env`), `${required} must be set`)
  }
})
