// The new public operations through the gateway of the running system: the
// scopes of the operation table hold, and a bank fits through it.
import t from 'tap'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient, studentScopes, teacherScopes } from '../helpers/api.ts'

t.test('learners and banks through the gateway', async t => {
  const system = await startTestSystem(t)
  const { token, call } = apiClient(system.url)
  const student = await token(studentScopes, 'gateway-student')
  const teacher = await token(teacherScopes, 'gateway-teacher')
  const bare = await token([], 'gateway-bare')

  for (const path of ['/categories', '/leaderboard?period=all', '/bank']) {
    t.equal((await call('GET', path)).status, 401, `${path}: no token, 401`)
    const refused = await call('GET', path, { token: bare })
    t.equal(refused.status, 403, `${path}: a token without the scope, 403`)
    t.match(refused.headers.get('www-authenticate'), /insufficient_scope/)
  }
  t.match(await call('GET', '/categories', { token: student }), { status: 200, body: [{ type: 'aggregation' }] })
  t.match(await call('GET', '/leaderboard?period=day&by=solved', { token: student }), { status: 200, body: [] })
  t.match(await call('GET', '/leaderboard?period=year', { token: student }), { status: 400, body: { message: 'period: must be one of day, week, all' } })
  t.match(await call('GET', '/me/points', { token: bare }), { status: 200, body: [{ amount: 100, reason: 'welcome' }] }, 'a valid token is enough for one\'s own ledger')
  t.equal((await call('GET', '/bank', { token: student })).status, 403, 'students cannot export the answers')
  t.equal((await call('POST', '/bank?dry_run=true', { token: student, body: { version: 1, schemas: [], questions: [] } })).status, 403)

  const bank = await call('GET', '/bank', { token: teacher })
  t.equal(bank.status, 200)
  t.equal(bank.body.questions.length, 16)
  const dry = await call('POST', '/bank?dry_run=true', { token: teacher, body: bank.body })
  t.match(dry, { status: 200, body: { dry_run: true, created: { questions: [] } } }, 'the seed bank passes through the gateway\'s body limit')
  t.equal(dry.body.unchanged.questions.length, 16)

  const document = (await call('GET', '/openapi.json')).body
  const bankSchema = document.paths['/bank'].post.requestBody.content['application/json'].schema
  t.equal(bankSchema.title, 'Question bank', 'the bank\'s JSON Schema is in the OpenAPI document')
  t.same(document.paths['/bank'].get.responses['200'].content['application/json'].schema, bankSchema, 'the export and the import share it')
  t.same(document.paths['/leaderboard'].get.security, [{ 'logto-jwt-token': ['read:question'] }])
})
