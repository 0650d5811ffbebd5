import t from 'tap'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import { execFile } from 'node:child_process'
import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import authPlugin, { type AuthPluginOptions } from '../../services/gateway/plugins/auth.ts'
import { ConfigError } from '../../lib/config.ts'
import { encodeJwt, makeKey, startFakeLogto, type FakeLogto } from './fake-logto.ts'

interface Echo {
  user: string | null
  scopes: string | null
  other: string | null
  playgroundUser: { id: string, scopes: string[] } | null
}

// Dummy routes for some public operations (and one internal one) that echo
// the identity headers they would forward to the internal services.
async function buildApp (options: AuthPluginOptions, logLines?: string[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logLines ? { level: 'trace', stream: { write: (line: string) => { logLines.push(line) } } } : false
  })
  await app.register(authPlugin, options)
  const echo = async (request: FastifyRequest): Promise<Echo> => ({
    user: (request.headers['x-playground-user'] as string | undefined) ?? null,
    scopes: (request.headers['x-playground-scopes'] as string | undefined) ?? null,
    other: (request.headers['x-playground-other'] as string | undefined) ?? null,
    playgroundUser: request.playgroundUser
  })
  app.get('/healthz', echo)
  app.get('/questions', echo)
  // the gateway may name parameters its own way
  app.get('/questions/:questionId/solution', echo)
  app.get('/me', echo)
  app.get('/crud/questions', echo)
  app.get('/internal/questions/:id', echo)
  // an internal template that a public path would fit, and a catch-all
  app.get('/:section', echo)
  app.get('/*', echo)
  await app.ready()
  return app
}

function logtoOptions (logto: FakeLogto, extra: AuthPluginOptions = {}): AuthPluginOptions {
  return { nodeEnv: 'test', logtoDomain: logto.domain, resourceIndicator: logto.resource, jwksRefetchIntervalMs: 60_000, ...extra }
}

const get = (app: FastifyInstance, url: string, token?: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: token === undefined ? headers : { authorization: `Bearer ${token}`, ...headers } })

const now = () => Math.floor(Date.now() / 1000)

t.test('Logto mode', async t => {
  const logto = await startFakeLogto()
  t.teardown(() => logto.close())
  const logLines: string[] = []
  const app = await buildApp(logtoOptions(logto), logLines)
  t.teardown(() => app.close())
  const usedTokens: string[] = []
  const token = (options: Parameters<FakeLogto['token']>[0] = {}) => {
    const value = logto.token(options)
    usedTokens.push(value)
    return value
  }
  const [firstKey] = logto.keys
  if (!firstKey) throw new Error('the fake Logto has no key')

  await t.test('a valid token reaches the route with the verified identity', async t => {
    const response = await get(app, '/questions/7/solution', token({ sub: 'student-42', scope: 'read:question read:solution challenge' }))
    t.equal(response.statusCode, 200)
    const body = response.json() as Echo
    t.equal(body.user, 'student-42')
    t.equal(body.scopes, 'read:question read:solution challenge')
    t.same(body.playgroundUser, { id: 'student-42', scopes: ['read:question', 'read:solution', 'challenge'] })
    t.equal(logto.jwksFetches, 1, 'the key set was fetched once')

    const again = await get(app, '/questions', token({ sub: 'student-43' }))
    t.equal(again.statusCode, 200)
    t.equal((again.json() as Echo).user, 'student-43')
    t.equal(logto.jwksFetches, 1, 'and then served from the cache')
  })

  await t.test('a token without scopes is enough for token-only operations', async t => {
    const response = await get(app, '/me', token({ scope: '', claims: { scope: undefined } }))
    t.equal(response.statusCode, 200)
    t.equal((response.json() as Echo).scopes, '')
  })

  await t.test('no token: 401 with an invalid_token Bearer challenge', async t => {
    const response = await get(app, '/questions')
    t.equal(response.statusCode, 401)
    t.match(response.headers['www-authenticate'], /^Bearer realm="playground", error="invalid_token", error_description="[^"]+"$/)
    t.match(response.json(), { message: /Authorization: Bearer/ })
  })

  await t.test('malformed Authorization headers: 401', async t => {
    for (const authorization of ['Bearer abc', 'Basic x', 'Bearer a.b.c', 'Bearer ', 'Bearer x y', 'Bearer ey.ey.ey.ey', 'Token abc']) {
      const response = await get(app, '/questions', undefined, { authorization })
      t.equal(response.statusCode, 401, authorization)
      t.match(response.headers['www-authenticate'], /^Bearer realm="playground"/, `${authorization}: challenge`)
      t.type((response.json() as { message: unknown }).message, 'string')
    }
    const garbage = await get(app, '/questions', 'a.b.c')
    t.match(garbage.headers['www-authenticate'], /error="invalid_token"/, 'a bad token is named invalid_token')
  })

  const refused: [string, () => string][] = [
    ['expired (beyond the clock skew)', () => token({ claims: { iat: now() - 7200, exp: now() - 120 } })],
    ['not yet valid (nbf beyond the clock skew)', () => token({ claims: { nbf: now() + 120 } })],
    ['issued in the future and not yet valid', () => token({ claims: { iat: now() + 3600, nbf: now() + 3600, exp: now() + 7200 } })],
    ['wrong issuer', () => token({ claims: { iss: 'https://evil.example/oidc' } })],
    ['issuer of the domain without /oidc', () => token({ claims: { iss: logto.domain } })],
    ['wrong audience', () => token({ claims: { aud: 'https://other-api.example' } })],
    ['audience list without the resource', () => token({ claims: { aud: ['https://a.example', 'https://b.example'] } })],
    ['no audience', () => token({ claims: { aud: undefined } })],
    ['no expiry', () => token({ claims: { exp: undefined } })],
    ['no subject', () => token({ claims: { sub: undefined } })],
    ['scope claim not a string', () => token({ claims: { scope: ['read:question'] } })],
    ['not an access token (typ JWT)', () => token({ header: { typ: 'JWT' } })],
    ['no kid', () => token({ header: { kid: undefined } })],
    ['alg none', () => encodeJwt({ alg: 'none', typ: 'at+jwt', kid: firstKey.kid }, {
      iss: logto.issuer, aud: logto.resource, sub: 'intruder', scope: 'write:resource', iat: now(), exp: now() + 600
    }, 'none')],
    ['alg none with a signature part', () => encodeJwt({ alg: 'none', typ: 'at+jwt', kid: firstKey.kid }, {
      iss: logto.issuer, aud: logto.resource, sub: 'intruder', scope: 'write:resource', iat: now(), exp: now() + 600
    }, { hs256: 'x' })],
    ['HS256 signed with the public key PEM', () => encodeJwt({ alg: 'HS256', typ: 'at+jwt', kid: firstKey.kid }, {
      iss: logto.issuer, aud: logto.resource, sub: 'intruder', scope: 'write:resource', iat: now(), exp: now() + 600
    }, { hs256: firstKey.publicKey.export({ type: 'spki', format: 'pem' }) as string })],
    ['HS256 signed with the public JWK', () => encodeJwt({ alg: 'HS256', typ: 'at+jwt', kid: firstKey.kid }, {
      iss: logto.issuer, aud: logto.resource, sub: 'intruder', scope: 'write:resource', iat: now(), exp: now() + 600
    }, { hs256: JSON.stringify(firstKey.jwk) })],
    ['signed by another key under the real kid', () => token({ key: { ...makeKey(firstKey.kid) } })],
    ['ES256 claimed for the P-384 key', () => encodeJwt({ alg: 'ES256', typ: 'at+jwt', kid: firstKey.kid }, {
      iss: logto.issuer, aud: logto.resource, sub: 'intruder', scope: 'read:question', iat: now(), exp: now() + 600
    }, { key: firstKey.privateKey, signAs: 'ES384' })],
    ['tampered payload', () => {
      const [header, , signature] = token({ scope: 'read:question' }).split('.')
      const payload = Buffer.from(JSON.stringify({ iss: logto.issuer, aud: logto.resource, sub: 'user-1', scope: 'write:resource', iat: now(), exp: now() + 600 })).toString('base64url')
      return `${header}.${payload}.${signature}`
    }]
  ]
  for (const [name, make] of refused) {
    await t.test(`refused: ${name}`, async t => {
      const value = make()
      usedTokens.push(value)
      const response = await get(app, '/questions', value)
      t.equal(response.statusCode, 401)
      t.match(response.headers['www-authenticate'], /^Bearer realm="playground", error="invalid_token", error_description="[^"]+"$/)
      const { message } = response.json() as { message: string }
      t.type(message, 'string')
      t.notOk(response.body.includes(value), 'the answer does not contain the token')
      t.notOk(response.body.includes(value.split('.')[0] ?? ''), 'nor its header')
    })
  }

  await t.test('the clock skew tolerates small differences', async t => {
    t.equal((await get(app, '/questions', token({ claims: { exp: now() - 5 } }))).statusCode, 200, 'just expired')
    t.equal((await get(app, '/questions', token({ claims: { nbf: now() + 5 } }))).statusCode, 200, 'valid in a moment')
    t.equal((await get(app, '/questions', token({ claims: { aud: ['https://other.example', logto.resource] } }))).statusCode, 200, 'aud as a list with the resource')
  })

  await t.test('expiry is reported as such', async t => {
    const response = await get(app, '/questions', token({ claims: { exp: now() - 600 } }))
    t.equal(response.statusCode, 401)
    t.match(response.json(), { message: /expired/ })
  })

  await t.test('insufficient scope: 403 naming the needed scopes', async t => {
    const response = await get(app, '/questions/7/solution', token({ scope: 'read:question challenge' }))
    t.equal(response.statusCode, 403)
    t.same(response.json(), { message: 'missing scope: read:solution' })
    t.equal(response.headers['www-authenticate'], 'Bearer realm="playground", error="insufficient_scope", scope="read:question read:solution"')

    const none = await get(app, '/questions', token({ scope: 'read:schema' }))
    t.equal(none.statusCode, 403)
    t.same(none.json(), { message: 'missing scope: read:question' })
  })

  await t.test('client-sent identity headers are stripped', async t => {
    const forged = { 'x-playground-user': 'admin', 'x-playground-scopes': 'write:resource', 'x-playground-other': 'yes' }
    const health = await get(app, '/healthz', undefined, forged)
    t.equal(health.statusCode, 200)
    t.same(health.json(), { user: null, scopes: null, other: null, playgroundUser: null }, 'even on a public route')

    const withToken = await get(app, '/questions', token({ sub: 'real-user', scope: 'read:question' }), forged)
    t.equal(withToken.statusCode, 200)
    t.match(withToken.json(), { user: 'real-user', scopes: 'read:question', other: null }, 'replaced by the verified identity')

    const refusedToken = await get(app, '/questions', 'a.b.c', forged)
    t.equal(refusedToken.statusCode, 401, 'and a forged header never helps a bad token')
  })

  await t.test('internal paths are 404 even with a valid token', async t => {
    const valid = token({ scope: 'read:question read:solution challenge read:schema write:resource' })
    for (const url of ['/crud/questions', '/internal/questions/1', '/documentation/json', '/internal/run', '/questions/1/../../crud/questions', '/questions/%2e%2e/crud']) {
      const response = await get(app, url, valid)
      t.equal(response.statusCode, 404, url)
      t.same(response.json(), { message: 'not found' }, `${url}: nothing internal is revealed`)
    }
    const post = await app.inject({ method: 'POST', url: '/questions/1/solution', headers: { authorization: `Bearer ${valid}` } })
    t.equal(post.statusCode, 404, 'a method the table does not list')
    const devToken = await app.inject({ method: 'POST', url: '/dev/token', payload: {} })
    t.equal(devToken.statusCode, 404, 'no dev issuer in Logto mode')
    t.equal((await get(app, '/dev/jwks')).statusCode, 404)
  })

  await t.test('a wildcard route serves pages to anyone and operations only as the table says', async t => {
    const page = await get(app, '/assets/app.js', undefined, { 'x-playground-user': 'admin' })
    t.equal(page.statusCode, 200, 'a page needs no token')
    t.equal((page.json() as Echo).user, null, 'and carries no identity')
    t.equal((await get(app, '/openapi/docs/')).statusCode, 200)
    t.equal((await get(app, '/questions/5')).statusCode, 401, 'an operation behind a wildcard needs a token')
    const withToken = await get(app, '/questions/5', token({ sub: 'wild' }))
    t.equal(withToken.statusCode, 200)
    t.equal((withToken.json() as Echo).user, 'wild')
    t.equal((await get(app, '/questions/5/full', token({ scope: 'read:question' }))).statusCode, 403, 'with its scopes')
    t.equal((await get(app, '/crud/questions/5', token())).statusCode, 404, 'anything else is still 404')
  })

  await t.test('a route template missing from the table is 404 even when the path would fit', async t => {
    // GET /schemas is public, but here it is served by the template '/:section'
    const response = await get(app, '/schemas', token({ scope: 'read:schema' }))
    t.equal(response.statusCode, 404)
  })

  await t.test('key rotation: a new kid is fetched once and accepted', async t => {
    const before = logto.jwksFetches
    const newKey = logto.addKey()
    const response = await get(app, '/questions', token({ key: newKey, sub: 'rotated' }))
    t.equal(response.statusCode, 200)
    t.equal((response.json() as Echo).user, 'rotated')
    t.equal(logto.jwksFetches, before + 1, 'the key set was refetched')
    t.equal((await get(app, '/questions', token({ key: newKey }))).statusCode, 200)
    t.equal((await get(app, '/questions', token())).statusCode, 200, 'the old key still works')
    t.equal(logto.jwksFetches, before + 1, 'both keys are now cached')
  })

  await t.test('unknown kids: 401, and the key set is refetched at most once per interval', async t => {
    const before = logto.jwksFetches
    const stranger = makeKey()
    const burst = await Promise.all(Array.from({ length: 6 }, (_v, i) => get(app, '/questions', token({ key: makeKey(`made-up-${i}`) }))))
    for (const response of burst) {
      t.equal(response.statusCode, 401)
      t.match(response.json(), { message: /signing key/ })
    }
    t.equal(logto.jwksFetches, before + 1, 'one refetch for the whole burst')
    for (let i = 0; i < 3; i++) {
      t.equal((await get(app, '/questions', token({ key: stranger }))).statusCode, 401)
    }
    t.equal(logto.jwksFetches, before + 1, 'and none while the interval lasts')
    t.equal((await get(app, '/questions', token())).statusCode, 200, 'known keys keep working meanwhile')
  })

  await t.test('logs never contain a token', async t => {
    t.ok(logLines.length > 0, 'something was logged')
    const text = logLines.join('\n')
    t.ok(usedTokens.length > 20)
    for (const value of usedTokens) {
      const signature = value.split('.')[2]
      t.notOk(text.includes(value), 'no whole token in the logs')
      if (signature) t.notOk(text.includes(signature), 'no signature in the logs')
    }
    t.notOk(/authorization/i.test(text.replace(/Authorization: Bearer <access token>|Authorization header/g, '')), 'no Authorization header in the logs')
  })
})

t.test('RSA and Ed25519 signing keys work as well; a key only verifies its own algorithm', async t => {
  const logto = await startFakeLogto()
  t.teardown(() => logto.close())
  const app = await buildApp(logtoOptions(logto))
  t.teardown(() => app.close())
  for (const alg of ['RS256', 'PS256', 'EdDSA'] as const) {
    const key = logto.addKey(alg)
    const response = await get(app, '/questions', logto.token({ key, sub: `user-${alg}` }))
    t.equal(response.statusCode, 200, alg)
    t.equal((response.json() as Echo).user, `user-${alg}`)
  }
  const [rsaKey] = logto.keys.filter(key => key.alg === 'RS256')
  if (!rsaKey) throw new Error('no RSA key')
  const downgraded = encodeJwt({ alg: 'PS256', typ: 'at+jwt', kid: rsaKey.kid }, {
    iss: logto.issuer, aud: logto.resource, sub: 'x', scope: 'read:question', iat: now(), exp: now() + 60
  }, { key: rsaKey.privateKey })
  t.equal((await get(app, '/questions', downgraded)).statusCode, 401, 'a key published for RS256 does not verify PS256')
})

t.test('a real key whose cache entry expired is refetched even while unknown kids are blocked', async t => {
  const logto = await startFakeLogto()
  t.teardown(() => logto.close())
  const app = await buildApp(logtoOptions(logto, { jwksCacheTtlMs: 1 }))
  t.teardown(() => app.close())
  t.equal((await get(app, '/questions', logto.token())).statusCode, 200)
  t.equal((await get(app, '/questions', logto.token({ key: makeKey() }))).statusCode, 401)
  const blockedAt = logto.jwksFetches
  // let the 1 ms cache entry of the real key lapse
  await new Promise(resolve => setTimeout(resolve, 20))
  t.equal((await get(app, '/questions', logto.token())).statusCode, 200)
  t.equal(logto.jwksFetches, blockedAt + 1, 'the real key was fetched again')
})

t.test('an unreachable key set gives 401 and is logged without the token', async t => {
  const logto = await startFakeLogto()
  const token = logto.token()
  await logto.close()
  const logLines: string[] = []
  const app = await buildApp(logtoOptions(logto, { jwksFetchTimeoutMs: 2000 }), logLines)
  t.teardown(() => app.close())
  const response = await get(app, '/questions', token)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { message: /cannot be fetched/ })
  const warnings = logLines.map(line => JSON.parse(line) as { level: number, msg: string }).filter(line => line.level === 40)
  t.ok(warnings.some(line => line.msg.includes('/oidc/jwks')), 'the failure is logged as a warning')
  t.notOk(logLines.join('\n').includes(token), 'without the token')
})

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
    const logto = await startFakeLogto()
    t.teardown(() => logto.close())
    const app = await buildApp({ nodeEnv: 'production', logtoDomain: logto.domain, resourceIndicator: logto.resource })
    t.teardown(() => app.close())
    t.equal((await app.inject({ method: 'POST', url: '/dev/token', payload: {} })).statusCode, 404)
    t.equal((await get(app, '/dev/jwks')).statusCode, 404)
    t.equal((await get(app, '/questions', logto.token())).statusCode, 200, 'Logto tokens work')
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

  const logto = await startFakeLogto()
  t.teardown(() => logto.close())
  const real = await buildApp(logtoOptions(logto))
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
