// The gateway's auth outside Logto mode and around it: the dev issuer (dev
// mode only), what production refuses to start without, and the token script.
import settingsPlugin from '../../lib/settings-plugin.ts'
import t from 'tap'
import Fastify from 'fastify'
import { execFile } from 'node:child_process'
import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import authPlugin, { type AuthPluginOptions } from '../../services/gateway/plugins/auth.ts'
import { ConfigError } from '../../lib/config.ts'
import { startOidcProvider } from '../helpers/oidc-provider.ts'
import { encodeJwt } from './fake-logto.ts'
import { buildApp, get, logtoOptions, now, type Echo } from './auth-harness.ts'

t.test('dev mode', async t => {
  const logLines: string[] = []
  const app = await buildApp({ nodeEnv: 'development', logtoDomain: '', resourceIndicator: '' }, logLines)
  t.teardown(() => app.close())

  await t.test('startup warns loudly', async t => {
    const warning = logLines.map(line => JSON.parse(line) as { level: number, msg: string }).find(line => line.msg.includes('DEV AUTH IS ON'))
    t.ok(warning, 'the dev auth warning is logged')
    t.equal(warning?.level, 40, 'at warn level')
    t.match(warning?.msg, /production/)
  })

  await t.test('POST /dev/token gives a token the gateway accepts', async t => {
    const issued = await app.inject({ method: 'POST', url: '/dev/token', payload: { scopes: ['read:question'], sub: 'alice' } })
    t.equal(issued.statusCode, 200)
    const body = issued.json() as { access_token: string, token_type: string, expires_in: number, scope: string }
    t.equal(body.token_type, 'Bearer')
    t.equal(body.expires_in, 3600)
    t.equal(body.scope, 'read:question')
    const header = JSON.parse(Buffer.from(body.access_token.split('.')[0] as string, 'base64url').toString()) as Record<string, unknown>
    t.match(header, { alg: 'ES384', typ: 'at+jwt', kid: /./ })
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>
    t.match(claims, { sub: 'alice', aud: 'http://localhost/api', scope: 'read:question' })
    t.equal((claims.exp as number) - (claims.iat as number), 3600)

    const response = await get(app, '/questions', body.access_token)
    t.equal(response.statusCode, 200)
    t.match(response.json(), { user: 'alice', scopes: 'read:question' })
    const denied = await get(app, '/questions/1/solution', body.access_token)
    t.equal(denied.statusCode, 403, 'scopes are enforced for dev tokens too')
  })

  await t.test('defaults: dev-student with every scope; scopes may be a string', async t => {
    const issued = await app.inject({ method: 'POST', url: '/dev/token' })
    t.equal(issued.statusCode, 200)
    const body = issued.json() as { access_token: string, scope: string }
    t.equal(body.scope.split(' ').sort().join(' '), 'challenge read:question read:schema read:solution write:resource')
    const response = await get(app, '/questions/1/solution', body.access_token)
    t.equal(response.statusCode, 200)
    t.equal((response.json() as Echo).user, 'dev-student')

    const fromString = await app.inject({ method: 'POST', url: '/dev/token', payload: { scopes: 'read:question challenge' } })
    t.equal((fromString.json() as { scope: string }).scope, 'read:question challenge')
  })

  await t.test('bad requests for dev tokens: 400', async t => {
    for (const payload of [{ scopes: ['root'] }, { scopes: 5 }, { sub: 'has space' }, { sub: 7 }]) {
      const response = await app.inject({ method: 'POST', url: '/dev/token', payload })
      t.equal(response.statusCode, 400, JSON.stringify(payload))
      t.type((response.json() as { message: unknown }).message, 'string')
    }
  })

  await t.test('GET /dev/jwks publishes the key that signs the tokens', async t => {
    const jwks = await get(app, '/dev/jwks')
    t.equal(jwks.statusCode, 200)
    const { keys } = jwks.json() as { keys: (JsonWebKey & { kid: string, alg: string })[] }
    t.equal(keys.length, 1)
    const [key] = keys
    t.match(key, { kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig' })
    t.notOk('d' in (key as object), 'no private part')
    const { access_token: accessToken } = (await app.inject({ method: 'POST', url: '/dev/token', payload: {} })).json() as { access_token: string }
    const [header, payload, signature] = accessToken.split('.') as [string, string, string]
    t.ok(verifySignature('sha384', Buffer.from(`${header}.${payload}`), { key: createPublicKey({ key: key as JsonWebKey, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url')))
  })

  await t.test("another instance's dev tokens and forged tokens are refused", async t => {
    const other = await buildApp({ nodeEnv: 'test', logtoDomain: '', resourceIndicator: '' })
    t.teardown(() => other.close())
    const { access_token: foreign } = (await other.inject({ method: 'POST', url: '/dev/token' })).json() as { access_token: string }
    t.equal((await get(other, '/questions', foreign)).statusCode, 200, 'valid where it was made')
    t.equal((await get(app, '/questions', foreign)).statusCode, 401, 'refused elsewhere')
    const unsigned = encodeJwt({ alg: 'none', typ: 'at+jwt' }, { iss: 'urn:database-playground:dev-issuer', aud: 'http://localhost/api', sub: 'x', exp: now() + 60 }, 'none')
    t.equal((await get(app, '/questions', unsigned)).statusCode, 401)
  })

  await t.test('internal paths are still 404 in dev mode', async t => {
    t.equal((await get(app, '/crud/questions')).statusCode, 404)
  })

  await t.test('GATEWAY_RESOURCE_INDICATOR is honoured in dev mode', async t => {
    const custom = await buildApp({ nodeEnv: 'development', logtoDomain: '', resourceIndicator: 'https://api.local.test' })
    t.teardown(() => custom.close())
    const { access_token: accessToken } = (await custom.inject({ method: 'POST', url: '/dev/token' })).json() as { access_token: string }
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>
    t.equal(claims.aud, 'https://api.local.test')
  })
})

t.test('production', async t => {
  const registrationError = async (options: AuthPluginOptions) => {
    const app = Fastify({ logger: false })
    try {
      await app.register(settingsPlugin)
      await app.register(authPlugin, options)
      await app.ready()
    } catch (error) {
      return error
    } finally {
      await app.close()
    }
    return undefined
  }

  await t.test('missing LOGTO_DOMAIN: registration throws naming it', async t => {
    const error = await registrationError({ nodeEnv: 'production', logtoDomain: '', resourceIndicator: 'https://api.example' })
    t.ok(error instanceof ConfigError)
    t.equal((error as ConfigError).variable, 'LOGTO_DOMAIN')
    t.match((error as Error).message, /^LOGTO_DOMAIN: /)
  })

  await t.test('missing GATEWAY_RESOURCE_INDICATOR: registration throws naming it', async t => {
    const error = await registrationError({ nodeEnv: 'production', logtoDomain: 'https://tenant.logto.app', resourceIndicator: '' })
    t.equal((error as ConfigError).variable, 'GATEWAY_RESOURCE_INDICATOR')
    const outsideProduction = await registrationError({ nodeEnv: 'development', logtoDomain: 'https://tenant.logto.app', resourceIndicator: '' })
    t.equal((outsideProduction as ConfigError).variable, 'GATEWAY_RESOURCE_INDICATOR', 'Logto mode always needs it')
  })

  await t.test('read from the environment when not given as options', async t => {
    const saved = { ...process.env }
    t.teardown(() => {
      for (const name of ['NODE_ENV', 'LOGTO_DOMAIN', 'GATEWAY_RESOURCE_INDICATOR']) {
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
      }
    })
    process.env.NODE_ENV = 'production'
    delete process.env.LOGTO_DOMAIN
    process.env.GATEWAY_RESOURCE_INDICATOR = 'https://api.example'
    t.equal(((await registrationError({})) as ConfigError).variable, 'LOGTO_DOMAIN')
  })

  await t.test('configured production never exposes the dev issuer', async t => {
    const oidc = await startOidcProvider()
    t.teardown(() => oidc.close())
    const app = await buildApp({ nodeEnv: 'production', logtoDomain: oidc.domain, resourceIndicator: oidc.resource })
    t.teardown(() => app.close())
    t.equal((await app.inject({ method: 'POST', url: '/dev/token', payload: {} })).statusCode, 404)
    t.equal((await get(app, '/dev/jwks')).statusCode, 404)
    t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200, 'Logto tokens work')
  })
})

t.test('scripts/token.ts prints a dev token from the running gateway', async t => {
  const run = (args: string[]) => new Promise<{ code: number | null, stdout: string, stderr: string }>(resolve => {
    execFile(process.execPath, [fileURLToPath(new URL('../../scripts/token.ts', import.meta.url)), ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })

  const dev = await buildApp({ nodeEnv: 'development', logtoDomain: '', resourceIndicator: '' })
  t.teardown(() => dev.close())
  const devUrl = await dev.listen({ host: '127.0.0.1', port: 0 })
  const printed = await run(['--url', devUrl, '--scopes', 'read:question challenge', '--sub', 'bob'])
  t.equal(printed.code, 0, printed.stderr)
  const accessToken = printed.stdout.trim()
  t.match(accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'only the token on stdout')
  const response = await get(dev, '/questions', accessToken)
  t.equal(response.statusCode, 200)
  t.match(response.json(), { user: 'bob', scopes: 'read:question challenge' })

  const oidc = await startOidcProvider()
  t.teardown(() => oidc.close())
  const real = await buildApp(logtoOptions(oidc))
  t.teardown(() => real.close())
  const realUrl = await real.listen({ host: '127.0.0.1', port: 0 })
  const refused = await run(['--url', realUrl])
  t.equal(refused.code, 1)
  t.equal(refused.stdout, '')
  t.match(refused.stderr, /Logto mode/)

  await real.close()
  const down = await run(['--url', realUrl])
  t.equal(down.code, 1)
  t.match(down.stderr, /Is it running\?/)
})
