// The malformed-token matrix: tokens no real provider would sign (unsigned,
// HS256 keyed with the public key, a wrong issuer, missing claims, a crit
// header, ...), made by the small fake issuer, are all refused with 401.
import t from 'tap'
import { encodeJwt, makeKey, startFakeLogto, type FakeLogto } from './fake-logto.ts'
import { assertNoTokensLogged, buildApp, get, logtoOptions, now, type Echo } from './auth-harness.ts'

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
if (!firstKey) throw new Error('the fake issuer has no key')
const intruder = () => ({ iss: logto.issuer, aud: logto.resource, sub: 'intruder', scope: 'write:resource', iat: now(), exp: now() + 600 })

t.test('the fake issuer signs tokens the gateway accepts', async t => {
  t.equal((await get(app, '/questions', token())).statusCode, 200, 'so every refusal below is for its own reason')
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
  ['a crit header naming an unknown extension', () => token({ header: { crit: ['x-playground'], 'x-playground': true } })],
  ['a crit header naming a registered parameter', () => token({ header: { crit: ['exp'], exp: now() + 600 } })],
  ['a crit header naming b64 (unencoded payload)', () => token({ header: { crit: ['b64'], b64: true } })],
  ['an empty crit header', () => token({ header: { crit: [] } })],
  ['a crit header that is not a list', () => token({ header: { crit: 'x-playground' } })],
  ['alg none', () => encodeJwt({ alg: 'none', typ: 'at+jwt', kid: firstKey.kid }, intruder(), 'none')],
  ['alg none with a signature part', () => encodeJwt({ alg: 'none', typ: 'at+jwt', kid: firstKey.kid }, intruder(), { hs256: 'x' })],
  ['HS256 signed with the public key PEM', () => encodeJwt({ alg: 'HS256', typ: 'at+jwt', kid: firstKey.kid }, intruder(),
    { hs256: firstKey.publicKey.export({ type: 'spki', format: 'pem' }) as string })],
  ['HS256 signed with the public JWK', () => encodeJwt({ alg: 'HS256', typ: 'at+jwt', kid: firstKey.kid }, intruder(), { hs256: JSON.stringify(firstKey.jwk) })],
  ['signed by another key under the real kid', () => token({ key: { ...makeKey(firstKey.kid) } })],
  ['ES256 claimed for the P-384 key', () => encodeJwt({ alg: 'ES256', typ: 'at+jwt', kid: firstKey.kid },
    { ...intruder(), scope: 'read:question' }, { key: firstKey.privateKey, signAs: 'ES384' })],
  ['tampered payload', () => {
    const [header, , signature] = token({ scope: 'read:question' }).split('.')
    const payload = Buffer.from(JSON.stringify({ ...intruder(), sub: 'user-1' })).toString('base64url')
    return `${header}.${payload}.${signature}`
  }]
]
for (const [name, make] of refused) {
  t.test(`refused: ${name}`, async t => {
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

t.test('a crit header is refused for what it is', async t => {
  const response = await get(app, '/questions', token({ header: { crit: ['x-playground'], 'x-playground': true } }))
  t.match(response.json(), { message: /crit/ })
})

t.test('the clock skew tolerates small differences', async t => {
  t.equal((await get(app, '/questions', token({ claims: { exp: now() - 5 } }))).statusCode, 200, 'just expired')
  t.equal((await get(app, '/questions', token({ claims: { nbf: now() + 5 } }))).statusCode, 200, 'valid in a moment')
  t.equal((await get(app, '/questions', token({ claims: { aud: ['https://other.example', logto.resource] } }))).statusCode, 200, 'aud as a list with the resource')
})

t.test('RSA and Ed25519 signing keys work as well; a key only verifies its own algorithm', async t => {
  const keys = (['RS256', 'PS256', 'EdDSA'] as const).map(alg => logto.addKey(alg))
  // a fresh gateway, whose first fetch of the key set has the new keys
  const other = await buildApp(logtoOptions(logto))
  t.teardown(() => other.close())
  for (const key of keys) {
    const response = await get(other, '/questions', token({ key, sub: `user-${key.alg}` }))
    t.equal(response.statusCode, 200, key.alg)
    t.equal((response.json() as Echo).user, `user-${key.alg}`)
  }
  const [rsaKey] = keys
  if (!rsaKey) throw new Error('no RSA key')
  const downgraded = encodeJwt({ alg: 'PS256', typ: 'at+jwt', kid: rsaKey.kid }, { ...intruder(), scope: 'read:question' }, { key: rsaKey.privateKey })
  usedTokens.push(downgraded)
  t.equal((await get(other, '/questions', downgraded)).statusCode, 401, 'a key published for RS256 does not verify PS256')
})

t.test('logs never contain a token', async t => {
  assertNoTokensLogged(t, logLines, usedTokens)
})
