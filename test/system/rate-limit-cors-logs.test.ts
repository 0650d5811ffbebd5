import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../launcher/free-port.ts'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient, studentScopes } from '../helpers/api.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { launch, waitForOutput } from '../helpers/launcher.ts'
import { testRedisEnv } from '../helpers/redis.ts'

t.test('rate limit and CORS', async t => {
  const system = await startTestSystem(t, { CHALLENGE_RATE_LIMIT: '3', COMPARE_RATE_LIMIT: '2', CORS_ORIGINS: 'https://app.example.org' })
  const { token, call } = apiClient(system.url)
  const alice = await token(studentScopes, 'alice')
  const bob = await token(studentScopes, 'bob')
  const run = (who: string, n: number) => call('POST', '/challenges', { token: who, body: { questionID: '1', query: `SELECT ${n}` } })

  for (let i = 0; i < 3; i++) t.equal((await run(alice, i)).status, 200)
  const limited = await run(alice, 99)
  t.equal(limited.status, 429, 'the fourth run in a minute is refused')
  t.match(limited.body, { message: /too many queries: at most 3 a minute/ })
  t.ok(Number(limited.headers.get('retry-after')) >= 1, 'with Retry-After')
  t.equal((await run(bob, 1)).status, 200, 'the limit is per user')
  t.equal((await call('GET', '/questions', { token: alice })).status, 200, 'and only on POST /challenges')

  const id = (await run(bob, 2)).body.challengeID
  t.equal((await call('GET', `/challenges/${id}/compare`, { token: bob })).status, 200)
  t.equal((await call('GET', `/challenges/${id}/compare`, { token: bob })).status, 200)
  const tooMany = await call('GET', `/challenges/${id}/compare`, { token: bob })
  t.equal(tooMany.status, 429, 'compares are limited too (each one tells something of the hidden datasets)')
  t.match(tooMany.body, { message: /too many compares: at most 2 a minute/ })

  // Limits belong to the operation, whatever the method: a HEAD of a compare
  // grades like a GET, and counts with it.
  const carol = await token(studentScopes, 'carol')
  const carolsRun = (await run(carol, 3)).body.challengeID
  t.equal((await call('HEAD', `/challenges/${carolsRun}/compare`, { token: carol })).status, 200)
  t.equal((await call('GET', `/challenges/${carolsRun}/compare`, { token: carol })).status, 200)
  t.equal((await call('HEAD', `/challenges/${carolsRun}/compare`, { token: carol })).status, 429, 'the third compare, as HEAD, is refused')
  t.equal((await call('GET', `/challenges/${carolsRun}/compare`, { token: carol })).status, 429, 'and so is a GET after it')
  t.equal((await call('HEAD', `/challenges/${carolsRun}/compare`)).status, 401, 'a HEAD needs the token a GET needs')

  const preflight = await call('OPTIONS', '/challenges', { headers: { origin: 'https://app.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } })
  t.ok(preflight.status < 300, 'a preflight from an allowed origin is answered')
  t.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.org')
  const allowed = await call('GET', '/questions', { token: bob, headers: { origin: 'https://app.example.org' } })
  t.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.org')
  const other = await call('GET', '/questions', { token: bob, headers: { origin: 'https://evil.example.com' } })
  t.equal(other.headers.get('access-control-allow-origin'), null, 'another origin gets no CORS grant')
})

t.test('request logs carry the request id and the user id, never the token', async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-logs-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const launched = launch({
    DATA_DIR: dataDir,
    DATABASE_URL: await createTestDatabase(t),
    ...testRedisEnv(),
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'info'
  })
  t.teardown(() => launched.child.kill('SIGKILL'))
  const [, url] = await waitForOutput(launched, /API:\s+(http:\/\/\S+)/)
  const { token, call } = apiClient(url)
  const secret = await token(studentScopes, 'log-reader')
  t.equal((await call('GET', '/questions/2', { token: secret })).status, 200)
  await new Promise(resolve => setTimeout(resolve, 300))
  const lines = launched.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line))
  const completed = lines.filter(line => line.name === 'gateway' && line.msg === 'request completed' && line.userId === 'log-reader')
  t.ok(completed.length >= 1, 'the completed request is logged with the user id')
  t.type(completed[0]?.reqId, 'string', 'and the request id')
  t.notOk(launched.output().includes(secret), 'the token never reaches the log')
  t.notOk(launched.output().includes(secret.split('.')[2]), 'not even its signature')
  launched.child.kill('SIGTERM')
  t.equal(await launched.exited, 0)
})
