// Tokens from a real OpenID provider set up as Logto (test/helpers/oidc-provider.ts)
// against the gateway's auth: who gets through, with which identity, and the
// 401 / 403 / 404 answers.
import t from 'tap'
import { startOidcProvider } from '../helpers/oidc-provider.ts'
import { assertNoTokensLogged, buildApp, get, logtoOptions, sleep, type Echo } from './auth-harness.ts'

const oidc = await startOidcProvider({ users: { 'student-7': ['read:question', 'challenge'] } })
t.teardown(() => oidc.close())
const logLines: string[] = []
const app = await buildApp(logtoOptions(oidc), logLines)
t.teardown(() => app.close())
const usedTokens: string[] = []
const token = async (request: { sub?: string, scope?: string } = {}) => {
  const value = await oidc.token({ scope: 'read:question', ...request })
  usedTokens.push(value)
  return value
}

t.test('a valid token reaches the route with the verified identity', async t => {
  const response = await get(app, '/questions/7/solution', await token({ sub: 'student-42', scope: 'read:question read:solution challenge' }))
  t.equal(response.statusCode, 200)
  const body = response.json() as Echo
  t.equal(body.user, 'student-42')
  t.equal(body.scopes, 'read:question read:solution challenge')
  t.same(body.playgroundUser, { id: 'student-42', scopes: ['read:question', 'read:solution', 'challenge'] })
  t.equal(oidc.jwksFetches, 1, 'the key set was fetched once')

  const again = await get(app, '/questions', await token({ sub: 'student-43' }))
  t.equal(again.statusCode, 200)
  t.equal((again.json() as Echo).user, 'student-43')
  t.equal(oidc.jwksFetches, 1, 'and then served from the cache')
})

t.test('a refreshed access token is accepted too', async t => {
  const signedIn = await oidc.signIn({ sub: 'student-44', scope: 'read:question' })
  const refreshed = await oidc.refresh(signedIn.refreshToken)
  usedTokens.push(signedIn.accessToken, refreshed.accessToken)
  t.not(refreshed.accessToken, signedIn.accessToken)
  const response = await get(app, '/questions', refreshed.accessToken)
  t.equal(response.statusCode, 200)
  t.equal((response.json() as Echo).user, 'student-44')
})

t.test('a token without scopes is enough for token-only operations', async t => {
  const response = await get(app, '/me', await token({ scope: '' }))
  t.equal(response.statusCode, 200)
  t.equal((response.json() as Echo).scopes, '')
})

t.test('no token: 401 with an invalid_token Bearer challenge', async t => {
  const response = await get(app, '/questions')
  t.equal(response.statusCode, 401)
  t.match(response.headers['www-authenticate'], /^Bearer realm="playground", error="invalid_token", error_description="[^"]+"$/)
  t.match(response.json(), { message: /Authorization: Bearer/ })
})

t.test('malformed Authorization headers: 401', async t => {
  for (const authorization of ['Bearer abc', 'Basic x', 'Bearer a.b.c', 'Bearer ', 'Bearer x y', 'Bearer ey.ey.ey.ey', 'Token abc']) {
    const response = await get(app, '/questions', undefined, { authorization })
    t.equal(response.statusCode, 401, authorization)
    t.match(response.headers['www-authenticate'], /^Bearer realm="playground"/, `${authorization}: challenge`)
    t.type((response.json() as { message: unknown }).message, 'string')
  }
  const garbage = await get(app, '/questions', 'a.b.c')
  t.match(garbage.headers['www-authenticate'], /error="invalid_token"/, 'a bad token is named invalid_token')
})

t.test('insufficient scope: 403 naming the needed scopes', async t => {
  const response = await get(app, '/questions/7/solution', await token({ scope: 'read:question challenge' }))
  t.equal(response.statusCode, 403)
  t.same(response.json(), { message: 'missing scope: read:solution' })
  t.equal(response.headers['www-authenticate'], 'Bearer realm="playground", error="insufficient_scope", scope="read:question read:solution"')

  const none = await get(app, '/questions', await token({ scope: 'read:schema' }))
  t.equal(none.statusCode, 403)
  t.same(none.json(), { message: 'missing scope: read:question' })
})

t.test('a scope the provider does not grant the user never reaches the gateway', async t => {
  const signedIn = await oidc.signIn({ sub: 'student-7', scope: 'read:question read:solution challenge' })
  usedTokens.push(signedIn.accessToken)
  t.equal(signedIn.scope, 'read:question challenge', 'the provider granted only the allowed scopes')
  t.equal((await get(app, '/questions', signedIn.accessToken)).statusCode, 200)
  const solution = await get(app, '/questions/7/solution', signedIn.accessToken)
  t.equal(solution.statusCode, 403)
  t.same(solution.json(), { message: 'missing scope: read:solution' })
})

t.test('an expired access token: 401 saying so', async t => {
  // No clock skew here, so that the provider's shortest lifetime runs out quickly.
  const strict = await buildApp(logtoOptions(oidc, { clockToleranceSec: 0 }))
  t.teardown(() => strict.close())
  oidc.setAccessTokenTtl(1)
  const shortLived = await token({ sub: 'student-45' })
  oidc.setAccessTokenTtl(3600)
  const claims = JSON.parse(Buffer.from(shortLived.split('.')[1] as string, 'base64url').toString()) as { iat: number, exp: number }
  t.equal(claims.exp - claims.iat, 1, 'the provider issued a one-second token')
  await sleep((claims.exp + 1) * 1000 - Date.now())
  const response = await get(strict, '/questions', shortLived)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { message: /expired/ })
  t.match(response.headers['www-authenticate'], /error="invalid_token"/)
})

t.test('client-sent identity headers are stripped', async t => {
  const forged = { 'x-playground-user': 'admin', 'x-playground-scopes': 'write:resource', 'x-playground-other': 'yes' }
  const health = await get(app, '/healthz', undefined, forged)
  t.equal(health.statusCode, 200)
  t.same(health.json(), { user: null, scopes: null, other: null, playgroundUser: null }, 'even on a public route')

  const withToken = await get(app, '/questions', await token({ sub: 'real-user', scope: 'read:question' }), forged)
  t.equal(withToken.statusCode, 200)
  t.match(withToken.json(), { user: 'real-user', scopes: 'read:question', other: null }, 'replaced by the verified identity')

  const refusedToken = await get(app, '/questions', 'a.b.c', forged)
  t.equal(refusedToken.statusCode, 401, 'and a forged header never helps a bad token')
})

t.test('internal paths are 404 even with a valid token', async t => {
  const valid = await token({ scope: 'read:question read:solution challenge read:schema write:resource' })
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

t.test('logs never contain a token', async t => {
  t.ok(usedTokens.length >= 10, 'many tokens were used')
  assertNoTokensLogged(t, logLines, usedTokens)
})
