// The provider's signing keys as the gateway sees them: fetched from
// /oidc/jwks, cached, refetched for a new kid at most once per interval, and a
// rotated key accepted within that interval whatever tokens with made-up kids
// are sent meanwhile.
import t from 'tap'
import { createJwksKeySource } from '../../services/gateway/lib/token-verifier.ts'
import { startOidcProvider } from '../helpers/oidc-provider.ts'
import { encodeJwt, makeKey } from './fake-logto.ts'
import { buildApp, get, logtoOptions, now, sleep, type Echo } from './auth-harness.ts'

const oidc = await startOidcProvider()
t.teardown(() => oidc.close())
const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as { kid: string }).kid

// What anyone can send: a token naming a key the provider never had.
const strangerKey = makeKey()
let strangers = 0
const madeUpKidToken = () => encodeJwt({ alg: 'ES384', typ: 'at+jwt', kid: `made-up-${++strangers}` },
  { iss: oidc.issuer, aud: oidc.resource, sub: 'intruder', scope: 'write:resource', iat: now(), exp: now() + 600 },
  { key: strangerKey.privateKey })

t.test('key rotation: the new key is accepted once the refetch interval has passed, the old one still works', async t => {
  const app = await buildApp(logtoOptions(oidc, { jwksRefetchIntervalMs: 200 }))
  t.teardown(() => app.close())
  const before = await oidc.token({ sub: 'before', scope: 'read:question' })
  t.equal((await get(app, '/questions', before)).statusCode, 200)
  const fetches = oidc.jwksFetches

  const newKid = oidc.rotateKeys()
  const after = await oidc.token({ sub: 'rotated', scope: 'read:question' })
  t.equal(kidOf(after), newKid, 'the provider signs with the new key')
  await sleep(250)
  const response = await get(app, '/questions', after)
  t.equal(response.statusCode, 200)
  t.equal((response.json() as Echo).user, 'rotated')
  t.equal(oidc.jwksFetches, fetches + 1, 'the key set was fetched again once')
  t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200)
  t.equal((await get(app, '/questions', before)).statusCode, 200, 'a token of the old key still works while the key is published')
  t.equal(oidc.jwksFetches, fetches + 1, 'both keys came in that one fetch')
})

t.test('a retired key stops working once the key set is fetched again', async t => {
  const app = await buildApp(logtoOptions(oidc, { jwksRefetchIntervalMs: 100 }))
  t.teardown(() => app.close())
  const old = await oidc.token({ scope: 'read:question' })
  t.equal((await get(app, '/questions', old)).statusCode, 200)
  oidc.rotateKeys({ retireOld: true })
  await sleep(150)
  t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200, 'the new key, fetched')
  const refused = await get(app, '/questions', old)
  t.equal(refused.statusCode, 401, 'the retired one is refused')
  t.match(refused.json(), { message: /signing key/ })
})

t.test('made-up kids: 401, and the key set is fetched at most once per interval', async t => {
  const app = await buildApp(logtoOptions(oidc, { jwksRefetchIntervalMs: 60_000 }))
  t.teardown(() => app.close())
  const real = await oidc.token({ scope: 'read:question' })
  t.equal((await get(app, '/questions', real)).statusCode, 200)
  const fetches = oidc.jwksFetches
  const burst = await Promise.all(Array.from({ length: 6 }, () => get(app, '/questions', madeUpKidToken())))
  for (const response of burst) {
    t.equal(response.statusCode, 401)
    t.match(response.json(), { message: /signing key/ })
  }
  t.ok(oidc.jwksFetches <= fetches + 1, 'at most one fetch for the whole burst')
  for (let i = 0; i < 3; i++) t.equal((await get(app, '/questions', madeUpKidToken())).statusCode, 401)
  t.ok(oidc.jwksFetches <= fetches + 1, 'and none while the interval lasts')
  t.equal((await get(app, '/questions', real)).statusCode, 200, 'known keys keep working meanwhile')
})

t.test('made-up kids sent all the time do not hold off a rotated key', async t => {
  const intervalMs = 300
  const app = await buildApp(logtoOptions(oidc, { jwksRefetchIntervalMs: intervalMs }))
  t.teardown(() => app.close())
  t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200)

  // One made-up kid every 20 ms, from before the rotation until after the check.
  const strangerAnswers: number[] = []
  let attacking = true
  const attack = (async () => {
    while (attacking) {
      strangerAnswers.push((await get(app, '/questions', madeUpKidToken())).statusCode)
      await sleep(20)
    }
  })()
  const fetchesBefore = oidc.jwksFetches
  const startedAt = Date.now()
  await sleep(2 * intervalMs)
  oidc.rotateKeys()
  const rotated = await oidc.token({ sub: 'after-rotation', scope: 'read:question' })
  // One interval after the rotation, and time for a fetch that was running
  // then to end, even on a busy machine.
  await sleep(intervalMs + 400)
  const response = await get(app, '/questions', rotated)
  attacking = false
  await attack
  const elapsed = Date.now() - startedAt

  t.equal(response.statusCode, 200, 'the new key is accepted one interval after it was published')
  t.equal((response.json() as Echo).user, 'after-rotation')
  t.ok(strangerAnswers.length > 20, `the made-up kids kept coming (${strangerAnswers.length})`)
  t.ok(strangerAnswers.every(status => status === 401), 'every made-up kid was refused')
  const fetches = oidc.jwksFetches - fetchesBefore
  t.ok(fetches <= Math.ceil(elapsed / intervalMs) + 1, `they cost at most one fetch per interval (${fetches} in ${elapsed} ms)`)
})

t.test('whatever order made-up and real kids come in, a new key waits at most one interval', async t => {
  // The key source alone, on a clock of its own: made-up kids every second,
  // the real token every half second, the rotation just after a fetch.
  let clock = 0
  const intervalMs = 5_000
  const keys = createJwksKeySource({ issuer: oidc.issuer, refetchIntervalMs: intervalMs, now: () => clock })
  const signedBy = async (kid: string) => {
    try {
      await keys.keyFor({ alg: 'ES384', kid })
      return true
    } catch {
      return false
    }
  }
  t.ok(await signedBy(oidc.signingKid), 'the current key is found')
  const fetchesBefore = oidc.jwksFetches
  let newKid = ''
  let rotatedAt = 0
  let acceptedAt: number | undefined
  for (clock = 500; clock <= 30_000; clock += 500) {
    if (clock % 1000 === 0) t.notOk(await signedBy(`made-up-${clock}`), `made-up kid at ${clock} ms`)
    if (clock === 5_500) {
      newKid = oidc.rotateKeys()
      rotatedAt = clock
    }
    if (newKid !== '' && acceptedAt === undefined && await signedBy(newKid)) acceptedAt = clock
  }
  t.ok(acceptedAt !== undefined, 'the new key was accepted')
  t.ok((acceptedAt as number) - rotatedAt <= intervalMs, `within one interval of its publication (after ${(acceptedAt as number) - rotatedAt} ms)`)
  t.ok(oidc.jwksFetches - fetchesBefore <= 30_000 / intervalMs, `at most one fetch per interval (${oidc.jwksFetches - fetchesBefore})`)
})

t.test('an old cached key set keeps serving known keys while fetches are paused', async t => {
  const app = await buildApp(logtoOptions(oidc, { jwksCacheTtlMs: 1, jwksRefetchIntervalMs: 60_000 }))
  t.teardown(() => app.close())
  const real = await oidc.token({ scope: 'read:question' })
  t.equal((await get(app, '/questions', real)).statusCode, 200)
  t.equal((await get(app, '/questions', madeUpKidToken())).statusCode, 401)
  await sleep(20)
  t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200, 'made-up kids cannot lock out real keys')
})

t.test('a cached key set older than its lifetime is fetched again', async t => {
  const app = await buildApp(logtoOptions(oidc, { jwksCacheTtlMs: 50, jwksRefetchIntervalMs: 0 }))
  t.teardown(() => app.close())
  t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200)
  const fetches = oidc.jwksFetches
  await sleep(80)
  t.equal((await get(app, '/questions', await oidc.token({ scope: 'read:question' }))).statusCode, 200)
  t.equal(oidc.jwksFetches, fetches + 1)
})

t.test('an unreachable key set gives 401 and is logged without the token', async t => {
  const gone = await startOidcProvider()
  const token = await gone.token({ scope: 'read:question' })
  await gone.close()
  const logLines: string[] = []
  const app = await buildApp(logtoOptions(gone, { jwksFetchTimeoutMs: 2000 }), logLines)
  t.teardown(() => app.close())
  const response = await get(app, '/questions', token)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { message: /cannot be fetched/ })
  const warnings = logLines.map(line => JSON.parse(line) as { level: number, msg: string }).filter(line => line.level === 40)
  t.ok(warnings.some(line => line.msg.includes('/oidc/jwks')), 'the failure is logged as a warning')
  t.notOk(logLines.join('\n').includes(token), 'without the token')
})
