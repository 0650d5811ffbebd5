import t from 'tap'
import { randomBytes } from 'node:crypto'
import { freePort } from '../../launcher/free-port.ts'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient, studentScopes } from '../helpers/api.ts'
import { withClient } from '../helpers/database.ts'
import { readMetrics } from '../helpers/prometheus.ts'

// Right, in other words than the reference answer (the same words would be the same cached run).
const easyCorrect = "SELECT name, price FROM products WHERE price < 100 AND category = 'electronics'"
const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'
const tooManyRows = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1000) SELECT x FROM c'

t.test('domain metrics on the Prometheus endpoint after a scripted mix', async t => {
  const metricsPort = await freePort()
  const system = await startTestSystem(t, {
    METRICS_PORT: String(metricsPort),
    CHALLENGE_RATE_LIMIT: '3',
    // two timeouts (1 s each) use up a user's runner time for the minute
    RUNNER_USER_BUDGET_MS: '2000',
    RUNNER_MAX_ROWS: '500'
  })
  const metrics = () => readMetrics(`http://127.0.0.1:${metricsPort}/metrics`)
  const { token: tokenOf, call } = apiClient(system.url)
  // Users of this run only: rate limits live in the Redis that suites share.
  const run = randomBytes(4).toString('hex')
  const token = (scopes: string[], who: string) => tokenOf(scopes, `${who}-${run}`)
  const challenge = async (who: string, query: string, questionID = '1') =>
    call('POST', '/challenges', { token: await token(studentScopes, who), body: { questionID, query } })
  const compare = async (who: string, id: string) => call('GET', `/challenges/${id}/compare`, { token: await token(studentScopes, who) })

  const atStart = await metrics()
  t.equal(atStart.sum('playground_runner_queue_length', { applicationId: 'dbrunner' }), 0, 'the pool is read at scrape time from the start')
  t.equal(atStart.sum('playground_sql_runs_total'), 0, 'no run yet')

  // alice: a wrong compare, then a right one (10 points), then a solution (20 points)
  const wrong = await challenge('alice', 'SELECT name, price FROM products')
  t.equal(wrong.status, 200)
  t.equal(wrong.headers.get('traceparent'), null, 'tracing is off by default')
  t.match((await compare('alice', wrong.body.challengeID)).body, { same: false, reason: 'row count differs' })
  const right = await challenge('alice', easyCorrect)
  t.same((await compare('alice', right.body.challengeID)).body, { same: true })
  t.equal((await call('GET', '/questions/1/solution', { token: await token(studentScopes, 'alice') })).status, 200)

  // erin: a query error and a result over the row limit
  t.equal((await challenge('erin', 'SELECT no_such_column FROM products')).status, 422)
  t.match(await challenge('erin', tooManyRows), { status: 422, body: { message: /rows/ } })

  // dave: two timeouts use up his runner time; the third run is refused
  t.match(await challenge('dave', runaway), { status: 422, body: { message: /timeout/ } })
  t.match(await challenge('dave', `${runaway} -- again`), { status: 422, body: { message: /timeout/ } })
  t.equal((await challenge('dave', 'SELECT 1')).status, 429, 'over his runner time')

  // frank: the fourth POST /challenges in a minute is rate limited at the gateway
  for (let i = 0; i < 3; i++) t.equal((await challenge('frank', `SELECT ${i}`)).status, 200)
  t.equal((await challenge('frank', 'SELECT 99')).status, 429, 'rate limited')

  // gina: a question whose reference answer no longer runs
  await withClient(system.databaseUrl, client => client.query(`UPDATE questions SET answer = 'SELECT no_such_answer_column FROM products' WHERE id = 2`))
  const broken = await challenge('gina', 'SELECT name, price FROM products', '2')
  t.equal(broken.status, 200)
  t.equal((await compare('gina', broken.body.challengeID)).status, 500, 'the question is broken, not the query')

  const after = await metrics()
  const runs = (outcome: string) => after.sum('playground_sql_runs_total', { applicationId: 'dbrunner', outcome })
  t.equal(runs('query_error'), 2, 'query errors: erin\'s query and gina\'s broken reference answer')
  t.equal(runs('timeout'), 2, 'timeouts')
  t.equal(runs('limit'), 1, 'results too large')
  t.equal(runs('budget'), 1, 'refused for the user\'s runner time')
  // alice: her wrong query, the answer, her right query, then the answer and
  // her query on each of the 2 hidden datasets; frank: 3 queries. Everything
  // else was answered by the cache.
  t.equal(runs('ok'), 10, 'ok runs')
  const started = runs('ok') + runs('query_error') + runs('timeout') + runs('limit')
  t.equal(after.sum('playground_runner_queue_wait_seconds_count'), started, 'every run that reached a worker waited for it once')
  t.equal(after.sum('playground_sql_run_duration_seconds_count'), started, 'and was timed; refusals are not')
  t.equal(after.sum('playground_sql_run_duration_seconds_count', { outcome: 'timeout' }), 2)
  t.ok(after.sum('playground_sql_run_duration_seconds_sum', { outcome: 'timeout' }) >= 2, 'a timeout lasts its whole limit')
  t.equal(after.sum('playground_runner_worker_restarts_total'), 2, 'each timeout replaced its worker')
  t.equal(after.sum('playground_runner_queue_length'), 0, 'nothing waits at rest')
  t.equal(after.sum('playground_runner_workers', { state: 'busy' }), 0)
  t.ok(after.sum('playground_runner_workers', { state: 'started' }) >= 1)

  t.equal(after.sum('playground_compares_total', { applicationId: 'questions', verdict: 'correct' }), 1)
  t.equal(after.sum('playground_compares_total', { verdict: 'row_count_differs' }), 1)
  t.equal(after.sum('playground_compares_total'), 2, 'gina\'s compare was not graded')
  t.equal(after.sum('playground_submissions_total', { correct: 'true' }), 1)
  t.equal(after.sum('playground_submissions_total', { correct: 'false' }), 1)
  t.equal(after.sum('playground_points_awarded_total', { reason: 'welcome' }), 300, 'alice, frank and gina joined (erin and dave never ran a query that worked)')
  t.equal(after.sum('playground_points_awarded_total', { reason: 'solved' }), 10, 'an easy question')
  t.equal(after.sum('playground_points_spent_total', { reason: 'solution' }), 20)
  t.equal(after.sum('playground_reference_failures_total', { stage: 'answer' }), 1)
  t.equal(after.sum('playground_rate_limited_total', { applicationId: 'gateway', limit: 'runs' }), 1)
  t.equal(after.sum('playground_rate_limited_total', { limit: 'api' }), 0)

  // The same query again is a cache hit: no run, one hit more.
  const again = await challenge('gina', 'SELECT name, price FROM products', '2')
  t.equal(again.status, 200)
  const last = await metrics()
  t.equal(last.sum('playground_run_cache_lookups_total', { result: 'hit' }), after.sum('playground_run_cache_lookups_total', { result: 'hit' }) + 1, 'one hit more')
  t.equal(last.sum('playground_run_cache_lookups_total', { result: 'miss' }), after.sum('playground_run_cache_lookups_total', { result: 'miss' }), 'no miss more')
  t.equal(last.sum('playground_sql_runs_total'), after.sum('playground_sql_runs_total'), 'and no run')
})
