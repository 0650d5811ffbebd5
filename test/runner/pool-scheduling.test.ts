// Scheduling in the execution pool, with the real engine: owners take turns,
// each within its concurrency and its budget of runner time; workers start
// on demand, retire when idle, and are replaced when their memory grew.
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import type { ExecutionPoolOptions } from '../../services/dbrunner/lib/execution-pool.ts'
import { BudgetError, TimeoutError } from '../../services/dbrunner/lib/run-errors.ts'

const SCHEMA = 'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3);'
const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'
// Keeps a worker busy for a little while, then answers.
const BUSY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 20000) SELECT count(*) FROM c'
const job = (owner: string, query = 'SELECT count(*) FROM t') => ({ schemaKey: 'sched', initialSql: SCHEMA, query, owner })
const settle = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: Error) => error.name)

/** A pool that records which owner each started job belonged to (with a time limit that a busy machine cannot reach). */
function tracedPool (t: { teardown: (fn: () => unknown) => void }, options: ExecutionPoolOptions) {
  const starts: string[] = []
  const pool = new ExecutionPool({ timeoutMs: 10_000, ...options, onJobStart: owner => { starts.push(owner); options.onJobStart?.(owner, 0) } })
  t.teardown(() => pool.close())
  return { pool, starts }
}

async function until (condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20)
}

t.test('a flooding owner does not hold back another owner', async t => {
  const { pool, starts } = tracedPool(t, { size: 1 })
  await pool.ready()
  const flood = Array.from({ length: 5 }, () => settle(pool.run(job('flooder', BUSY))))
  const alice = settle(pool.run(job('alice')))
  // One worker busy, and a standby starting for when it times out.
  t.match(pool.stats(), { size: 1, workers: 2, busy: 1, queued: 5, ownersWaiting: 2, restarts: 0, idleRetired: 0 })
  t.same(await Promise.all([...flood, alice]), Array(6).fill('ok'))
  t.same(starts, ['flooder', 'alice', 'flooder', 'flooder', 'flooder', 'flooder'],
    'alice\'s job started before the flooder\'s queued ones')
})

t.test('an owner runs one job at a time; the limit is configurable', async t => {
  // minWorkers: with 1, workers start only for jobs that can start; with 4,
  // every worker is ready, so only the owner's limit holds jobs back.
  for (const [concurrency, minWorkers] of [[1, 1], [2, 4]]) {
    let most = 0
    let mostWorkers = 0
    const { pool } = tracedPool(t, {
      size: 4,
      minWorkers,
      ownerConcurrency: concurrency,
      onJobStart: () => {
        most = Math.max(most, pool.stats().busy)
        mostWorkers = Math.max(mostWorkers, pool.stats().workers)
      }
    })
    await pool.ready()
    const jobs = Array.from({ length: 5 }, () => settle(pool.run(job('one', BUSY))))
    t.equal(pool.stats().busy, concurrency, `${concurrency} started at once`)
    t.same(await Promise.all(jobs), Array(5).fill('ok'))
    t.equal(most, concurrency, `never more than ${concurrency} running`)
    t.equal(mostWorkers, Math.max(minWorkers, concurrency + 1), 'no more workers started than could be used, and one spare')
  }
})

t.test('an owner past its budget is refused at once; other owners are not', async t => {
  let now = 1_000_000
  // A time limit well above what building the schema takes on a loaded
  // machine, so only the runaways meet it.
  const { pool, starts } = tracedPool(t, { size: 2, timeoutMs: 1500, ownerBudgetMs: 3200, now: () => now })
  await pool.ready()
  // Four runaways at once: each timeout costs the whole 1.5 s, so the
  // fourth finds the budget spent when its turn comes.
  const outcomes = await Promise.all(Array.from({ length: 4 }, () => pool.run(job('mallory', RUNAWAY)).catch((error: Error) => error)))
  t.same(outcomes.map(error => error.constructor), [TimeoutError, TimeoutError, TimeoutError, BudgetError])
  t.same(starts, ['mallory', 'mallory', 'mallory'], 'the refused job never reached a worker')

  const refused = await pool.run(job('mallory')).catch((error: unknown) => error)
  t.type(refused, BudgetError, 'a new job is refused at once')
  const error = refused as BudgetError
  t.equal(error.status, 429)
  t.equal(error.code, 'budget')
  t.ok(error.retryAfterSeconds >= 60 && error.retryAfterSeconds <= 61, `retry after ${error.retryAfterSeconds} s`)
  t.equal(error.message, `you have used your SQL runner time for this minute (3.2 s); try again in ${error.retryAfterSeconds} s`)
  t.same(pool.stats().queued, 0)
  t.equal(starts.length, 3)

  t.same((await pool.run(job('alice'))).rows, [['3']], 'another owner runs')
  now += 61_000
  t.same((await pool.run(job('mallory'))).rows, [['3']], 'a minute later the budget is back')
})

t.test('a budget of 0 means no limit', async t => {
  const { pool } = tracedPool(t, { size: 1, timeoutMs: 100, ownerBudgetMs: 0 })
  // 500 ms of timeouts in a row: never refused.
  for (let i = 0; i < 5; i++) await t.rejects(pool.run(job('tester', RUNAWAY)), TimeoutError)
})

t.test('workers start on demand up to the bound and retire when idle', async t => {
  let mostBusy = 0
  const { pool } = tracedPool(t, { size: 3, minWorkers: 1, idleMs: 300, onJobStart: () => { mostBusy = Math.max(mostBusy, pool.stats().busy) } })
  await pool.ready()
  t.equal(pool.stats().workers, 1, 'one worker to begin with')
  const jobs = Array.from({ length: 6 }, (_, i) => settle(pool.run(job(`user ${i}`, BUSY))))
  t.match(pool.stats(), { workers: 4, busy: 1, queued: 5 }, 'six owners waiting: the pool grows to its bound of 3, and a standby')
  t.same(await Promise.all(jobs), Array(6).fill('ok'))
  t.ok(mostBusy <= 3, `never more than 3 jobs running (${mostBusy})`)
  await until(() => pool.stats().workers === 1)
  t.match(pool.stats(), { workers: 1, restarts: 0 }, 'idle workers retired down to the minimum')
  t.ok(pool.stats().idleRetired >= 2, 'for being idle')
  await pool.ready()
  t.same((await pool.run(job('later'))).rows, [['3']], 'and the pool still serves')
})

t.test('minWorkers are started before ready() and kept', async t => {
  const { pool } = tracedPool(t, { size: 4, minWorkers: 2, idleMs: 100 })
  await pool.ready()
  t.equal(pool.stats().workers, 2)
  await Promise.all(Array.from({ length: 4 }, (_, i) => pool.run(job(`user ${i}`, BUSY))))
  await until(() => pool.stats().workers === 2)
  await sleep(300)
  t.equal(pool.stats().workers, 2, 'never below the minimum')
})

t.test('a worker whose memory grew past the bound is replaced after its job', async t => {
  const { pool } = tracedPool(t, {
    size: 2,
    maxWorkerWasmBytes: 64 * 1024 * 1024,
    workerUrl: new URL('./fixtures/wasm-reporting-worker.ts', import.meta.url)
  })
  t.same((await pool.run(job('a'))).rows, [['3']])
  t.match(pool.stats(), { restarts: 0, wasmBytes: 20 * 1024 * 1024 })
  t.same((await pool.run(job('a', 'SELECT count(*) /* grow */ FROM t'))).rows, [['3']], 'the job itself is answered')
  t.equal(pool.stats().restarts, 1, 'then the worker is replaced')
  t.same((await pool.run(job('a'))).rows, [['3']])
  t.equal(pool.stats().restarts, 1)
})

t.test('with the real engine, a heavy sort grows the memory and the worker is replaced', async t => {
  const { pool } = tracedPool(t, { size: 1, maxWorkerWasmBytes: 32 * 1024 * 1024, ownerBudgetMs: 0, timeoutMs: 30_000 })
  await pool.run(job('a'))
  const start = pool.stats().wasmBytes
  if (start === undefined) {
    t.plan(0, 'the sandbox worker does not report its WebAssembly memory (wasmBytes) yet')
    return
  }
  t.ok(start <= 32 * 1024 * 1024, `a fresh worker: ${(start / 1048576).toFixed(1)} MiB`)
  const sort = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 300000) SELECT count(*) FROM (SELECT x, hex(randomblob(40)) h FROM c ORDER BY h)'
  t.same((await pool.run(job('a', sort))).rows, [['300000']])
  t.equal(pool.stats().restarts, 1, 'the grown worker was replaced')
})
