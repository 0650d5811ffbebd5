import t from 'tap'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient, studentScopes } from '../helpers/api.ts'

t.test('two runaway queries of one user do not hold up other users\' requests', async t => {
  const system = await startTestSystem(t, { CHALLENGE_RATE_LIMIT: '1000' })
  const { token, call } = apiClient(system.url)
  const student = await token(studentScopes)
  const abuser = await token(studentScopes, 'abuser')
  const cached = (await call('POST', '/challenges', { token: student, body: { questionID: '1', query: 'SELECT name FROM products' } })).body.challengeID

  const finished: string[] = []
  const runaway = (n: number) => call('POST', '/challenges', {
    token: abuser,
    body: { questionID: '1', query: `WITH RECURSIVE c(x) AS (SELECT ${n} UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c` }
  }).then(response => { finished.push('runaway'); return response })
  const runaways = [runaway(1), runaway(2)]
  await new Promise(resolve => setTimeout(resolve, 100))

  const health = await call('GET', '/healthz')
  finished.push('healthz')
  const read = await call('GET', `/challenges/${cached}`, { token: student })
  finished.push('cached read')
  const fresh = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: 'SELECT count(*) FROM customers' } })
  finished.push('normal run')

  const [first, second] = await Promise.all(runaways)
  t.equal(health.status, 200)
  t.equal(read.status, 200)
  t.equal(fresh.status, 200)
  t.same(finished.slice(0, 3), ['healthz', 'cached read', 'normal run'], 'all three were served while the runaways still ran')
  for (const response of [first, second]) {
    t.equal(response.status, 422)
    t.same(response.body, { message: 'query timeout (takes more than 1 second)' })
  }
  t.equal((await call('GET', '/healthz')).status, 200, 'and the service goes on serving')
})
