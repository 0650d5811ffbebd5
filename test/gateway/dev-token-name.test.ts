// Dev tokens may carry a display name (the `name` claim), so that in dev mode
// the leaderboard shows names; the gateway forwards it as it forwards Logto's.
import t from 'tap'
import { buildApp, get } from './auth-harness.ts'

const app = await buildApp({ nodeEnv: 'development', logtoDomain: '', resourceIndicator: '' })
t.teardown(() => app.close())

const issue = (payload: object) => app.inject({ method: 'POST', url: '/dev/token', payload })
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>

t.test('a name goes into the name claim, and the gateway forwards it', async t => {
  const issued = await issue({ scopes: ['read:question'], sub: 'ada', name: '  Ada Lovelace ' })
  t.equal(issued.statusCode, 200)
  const token = (issued.json() as { access_token: string }).access_token
  t.match(claimsOf(token), { sub: 'ada', name: 'Ada Lovelace' }, 'trimmed')
  const echoed = await get(app, '/questions', token)
  t.equal(echoed.statusCode, 200)
  t.match(echoed.json(), { user: 'ada', playgroundUser: { id: 'ada', name: 'Ada Lovelace' } }, 'the verified token carries the name on')
  t.match(claimsOf((await issue({ name: 'Zoë 学生' })).json().access_token), { name: 'Zoë 学生' }, 'any script')
})

t.test('without a name there is no name claim', async t => {
  const token = (await issue({ sub: 'anonymous' })).json().access_token as string
  t.notOk('name' in claimsOf(token))
})

t.test('names that cannot be shown are refused with 400', async t => {
  for (const name of ['', '   ', 'x'.repeat(101), 'ada@example.org', 'Ada <ada@example.org>', 'line\nbreak', 7, ['Ada']]) {
    const response = await issue({ name })
    t.equal(response.statusCode, 400, JSON.stringify(name))
    t.match(response.json(), { message: /^name must be 1 to 100 characters/ })
  }
  t.equal((await issue({ name: 'x'.repeat(100) })).statusCode, 200, '100 characters are enough')
})
