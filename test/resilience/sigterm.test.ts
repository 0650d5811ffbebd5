// SIGTERM while users are being served: what was in flight completes, then
// the launcher stops everything it started and exits 0.
import t from 'tap'
import { isAlive } from '../helpers/launcher.ts'
import { childProcesses, describe, devToken, launchSystem, request, sleep, startLoad, stillRunning, studentScopes, tempDir, within, type Outcome } from './harness.ts'

// Slow enough (a few hundred ms) to be surely in flight when the signal comes;
// distinct texts so the cache does not answer them.
const slowQuery = (n: number) => `WITH RECURSIVE c(x) AS (SELECT ${n} UNION ALL SELECT x+1 FROM c LIMIT 1000000) SELECT count(*) FROM c`
const SHUTDOWN_LIMIT_MS = 30_000

t.test('SIGTERM under load: in-flight requests complete, exit 0, no process left', async t => {
  // The launcher starts its own PostgreSQL and Redis here, so there are
  // child processes whose stopping can be checked.
  const dataDir = await tempDir(t, 'playground-sigterm-')
  // A longer run limit: the slow runs share 2 cores with the steady load,
  // and this test is about draining, not about the 1 s limit.
  const system = await launchSystem(t, { DATA_DIR: dataDir, RUNNER_TIMEOUT_MS: '10000' })
  const children = childProcesses(system.pid)
  t.ok(children.some(child => /postgres/.test(child.command)) && children.some(child => /redis-server/.test(child.command)),
    `PostgreSQL and redis-server run as children (${children.map(child => `${child.pid} ${child.command.split(' ')[0]}`).join(', ')})`)
  const student = await devToken(system.url, studentScopes, 'student-sigterm')

  const load = startLoad(system.url, student, { loops: 3 })
  await sleep(1500)
  const slow: Array<Promise<Outcome>> = []
  for (let i = 1; i <= 3; i++) {
    slow.push(request(system.url, 'slow run', 'POST', '/challenges', { token: student, body: JSON.stringify({ questionID: '1', query: slowQuery(i) }) }))
  }
  await sleep(100)
  const signalledAt = Date.now()
  system.launched.child.kill('SIGTERM')

  const exit = await within(system.launched.exited, SHUTDOWN_LIMIT_MS)
  const stoppedIn = Date.now() - signalledAt
  const slowOutcomes = await Promise.all(slow)
  const outcomes = await load.stop()

  t.not(exit, 'timeout', `stops within ${SHUTDOWN_LIMIT_MS / 1000} s (took ${stoppedIn} ms)`)
  t.equal(exit, 0, 'exits 0')
  t.match(system.launched.output(), /SIGTERM: stopping/)

  // In flight: sent before the signal, not yet answered when it came.
  const inFlight = [...slowOutcomes, ...outcomes].filter(o => o.startedAt < signalledAt && o.endedAt >= signalledAt)
  t.ok(slowOutcomes.every(o => o.startedAt < signalledAt && o.endedAt > signalledAt), 'the slow runs were in flight at the signal')
  const cut = inFlight.filter(o => o.status === 0 || o.status >= 500)
  t.same(cut.map(o => `${o.op}: ${o.status || o.error} ${o.message ?? ''}`), [], `every in-flight request completed (${inFlight.length} in flight: ${describe(inFlight)})`)
  t.ok(slowOutcomes.every(o => o.status === 200), `the slow runs got their results (${slowOutcomes.map(o => `${o.status || o.error} ${o.message ?? ''}`.trim()).join(', ')})`)
  t.same(outcomes.filter(o => o.hung), [], 'nothing hung')

  await sleep(300)
  t.same(stillRunning(children).map(child => `${child.pid} ${child.command}`), [], 'no child process is left behind')
  t.notOk(isAlive(system.pid), 'the launcher is gone')
})
