// The gateway plugin that serves the web page, on a bare Fastify with the
// real auth hook (dev mode): no runtime, no browser, no build needed.
import t from 'tap'
import Fastify from 'fastify'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { request } from 'node:http'
import settingsPlugin from '../../lib/settings-plugin.ts'
import authPlugin from '../../services/gateway/plugins/auth.ts'
import errorsPlugin from '../../services/gateway/plugins/errors.ts'
import webApp, { webConfig } from '../../services/gateway/plugins/web-app.ts'
import { publicOperations } from '../../services/gateway/lib/scopes.ts'

function rawStatus (base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(base)
    request({ host: url.hostname, port: url.port, path, method: 'GET' }, response => {
      response.resume()
      resolve(response.statusCode ?? 0)
    }).on('error', reject).end()
  })
}

async function buildApp (distDir: string) {
  const app = Fastify()
  await app.register(settingsPlugin)
  await app.register(errorsPlugin)
  await app.register(authPlugin, { nodeEnv: 'test', logtoDomain: '', resourceIndicator: '' })
  await app.register(webApp, { distDir })
  // An operation as the route policy attaches it.
  const list = publicOperations.find(operation => operation.method === 'GET' && operation.path === '/questions')!
  app.get('/questions', { onRequest: [app.authorize(list)] }, async () => [])
  await app.ready()
  t.teardown(() => app.close())
  return app
}

t.test('serves a built page without a token', async t => {
  const dist = await mkdtemp(join(tmpdir(), 'web-dist-'))
  t.teardown(() => rm(dist, { recursive: true, force: true }))
  await mkdir(join(dist, 'assets'))
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>x</title><script type="module" src="/assets/index-abc123.js"></script>')
  const script = 'console.log("hello from the page")'
  await writeFile(join(dist, 'assets', 'index-abc123.js'), script)
  await writeFile(join(dist, 'assets', 'index-abc123.js.gz'), gzipSync(script))
  const app = await buildApp(dist)

  for (const url of ['/', '/index.html']) {
    const page = await app.inject({ method: 'GET', url })
    t.equal(page.statusCode, 200, `${url} is public`)
    t.match(page.headers['content-type'], /^text\/html/)
    t.equal(page.headers['cache-control'], 'no-cache', 'index.html is revalidated every time')
    t.match(page.headers['content-security-policy'], /default-src 'self'/)
    t.match(page.body, /index-abc123\.js/)
  }
  const head = await app.inject({ method: 'HEAD', url: '/' })
  t.equal(head.statusCode, 200, 'HEAD / works')

  const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' })
  t.equal(asset.statusCode, 200)
  t.equal(asset.body, script)
  t.match(asset.headers['cache-control'], /max-age=31536000.*immutable/, 'hashed assets are cached for long')
  const compressed = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } })
  t.equal(compressed.headers['content-encoding'], 'gzip', 'the precompressed file is sent when accepted')

  t.equal((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode, 404)
  // Sent raw over HTTP: inject() would normalise the dots away.
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  for (const path of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/assets/..%2f..%2fpackage.json']) {
    t.equal(await rawStatus(address, path), 404, `no way out of assets/: ${path}`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/questions' })).statusCode, 401, 'the API still wants a token')

  const config = await app.inject({ method: 'GET', url: '/assets/web-config.json' })
  t.equal(config.statusCode, 200, 'the page config is public')
  t.equal(config.headers['cache-control'], 'no-cache')
  t.same(config.json().auth, 'dev')
  t.ok(config.json().scopes.includes('read:solution'), 'dev sign-in asks for every scope')
})

t.test('says how to build the page when web/dist is missing', async t => {
  const app = await buildApp(join(tmpdir(), 'no-such-web-dist'))
  const page = await app.inject({ method: 'GET', url: '/' })
  t.equal(page.statusCode, 503)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /the web page is not built; run <code>npm run build:web<\/code>/i)
})

t.test('the page config follows the Logto settings', async t => {
  t.same(webConfig({}).auth, 'dev')
  const logto = webConfig({ LOGTO_DOMAIN: 'https://tenant.logto.app/', GATEWAY_RESOURCE_INDICATOR: 'https://api.example.org', LOGTO_APP_ID: ' app123 ' })
  t.match(logto, { auth: 'logto', logtoEndpoint: 'https://tenant.logto.app', appId: 'app123', resource: 'https://api.example.org' })
})
