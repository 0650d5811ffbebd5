import t from 'tap'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import {
  BusyError, LimitError, QueryError, RunError, RunnerCrashError, SchemaError, TimeoutError,
  deserialiseRunError, serialiseRunError, timeoutMessage
} from '../../services/dbrunner/lib/run-errors.ts'

const SCHEMA = `
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL);
INSERT INTO products VALUES (1, 'Laptop', 999.0), (2, 'Mouse', 79.9), (3, 'Cable', 12.5);
`
const job = (query: string, initialSql = SCHEMA, owner?: string) => ({ schemaKey: `key:${initialSql}`, initialSql, query, owner })

const RUNAWAY_CTE = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'
const CROSS_JOIN = 'SELECT count(*) FROM ' + Array.from({ length: 20 }, (_, i) => `products p${i}`).join(', ')

/** Settles `promise` and reports how long it took, in ms. */
async function timed<T> (promise: Promise<T>): Promise<{ ms: number, value?: T, error?: unknown }> {
  const start = performance.now()
  try {
    const value = await promise
    return { ms: performance.now() - start, value }
  } catch (error) {
    return { ms: performance.now() - start, error }
  }
}

const pool = new ExecutionPool({ size: 4 })
t.teardown(() => pool.close())
await pool.ready()

t.test('error classes carry code and status', async t => {
  const cases: Array<[RunError, string, number]> = [
    [new QueryError('x'), 'query_error', 422],
    [new SchemaError('x'), 'schema_error', 500],
    [new TimeoutError(), 'timeout', 422],
    [new LimitError('x'), 'limit', 422],
    [new RunnerCrashError(), 'runner_crash', 503],
    [new BusyError(), 'busy', 503]
  ]
  for (const [error, code, status] of cases) {
    t.ok(error instanceof RunError && error instanceof Error)
    t.equal(error.code, code)
    t.equal(error.status, status)
    t.equal(error.name, error.constructor.name)
    const copy = deserialiseRunError(serialiseRunError(error))
    t.equal(copy.constructor, error.constructor)
    t.equal(copy.message, error.message)
  }
  t.equal(new TimeoutError().message, 'query timeout (takes more than 1 second)')
  t.equal(timeoutMessage(2000), 'query timeout (takes more than 2 seconds)')
  t.equal(timeoutMessage(500), 'query timeout (takes more than 0.5 seconds)')
  t.match(new RunnerCrashError().message, /stopped unexpectedly; please try again/)
})

t.test('stats', async t => {
  t.match(pool.stats(), { size: 4, workers: 1, busy: 0, queued: 0, ownersWaiting: 0, restarts: 0, idleRetired: 0 }, 'one worker starts; more on demand')
  const tiny = new ExecutionPool({ size: 0 })
  t.equal(tiny.stats().size, 1, 'size is at least 1')
  await tiny.close()
})

t.test('default size is at least 4', async t => {
  const defaults = new ExecutionPool()
  t.ok(defaults.stats().size >= 4)
  await defaults.close()
})

t.test('runs a valid query', async t => {
  t.same(await pool.run(job('SELECT name, price FROM products ORDER BY id')), {
    header: ['name', 'price'],
    rows: [['Laptop', '999.0'], ['Mouse', '79.9'], ['Cable', '12.5']]
  })
  t.same(await pool.run(job('')), { header: [], rows: [] })
})

t.test('runs are isolated from each other on every worker', async t => {
  const updates = await Promise.all(Array.from({ length: 8 }, (_, i) =>
    pool.run(job("UPDATE products SET name = 'gone' RETURNING name", SCHEMA, `user ${i}`))))
  for (const result of updates) t.same(result.rows, [['gone'], ['gone'], ['gone']])
  const reads = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.run(job('SELECT name FROM products ORDER BY id', SCHEMA, `user ${i}`))))
  for (const result of reads) t.same(result.rows, [['Laptop'], ['Mouse'], ['Cable']])
})

t.test('query, schema and limit errors keep their class and message', async t => {
  await t.rejects(pool.run(job('SELECT * FROM nope')), new QueryError('no such table: nope'))
  await t.rejects(pool.run(job('SELEC 1')), new QueryError('near "SELEC": syntax error'))
  await t.rejects(pool.run(job('SELECT 1', 'CREATE TABLE a (x); INSERT INTO missing VALUES (1)')), new SchemaError('no such table: missing'))
  await t.rejects(pool.run(job('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 5000) SELECT x FROM c')),
    new LimitError('result has more than 1000 rows'))
})

t.test('build validates schema SQL', async t => {
  await t.resolves(pool.build('CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);'))
  await t.rejects(pool.build('CREATE TABL a (x)'), new SchemaError('near "TABL": syntax error'))
})

t.test('limits given to the pool reach the workers', async t => {
  const small = new ExecutionPool({ size: 1, limits: { maxRows: 2, maxQueryBytes: 50 } })
  t.teardown(() => small.close())
  t.same((await small.run(job('SELECT id FROM products WHERE id < 3'))).rows, [['1'], ['2']])
  await t.rejects(small.run(job('SELECT id FROM products')), new LimitError('result has more than 2 rows'))
  await t.rejects(small.run(job('SELECT ' + '1 + '.repeat(20) + '1')), { name: 'LimitError', message: /the limit is 50 bytes/ })
})

// How long things take is measured by the benchmarks; here a TimeoutError
// (only the timer raises it) shows the run was stopped rather than finished.
t.test('a runaway recursive CTE is stopped by the time limit and the pool keeps serving', async t => {
  const restarts = pool.stats().restarts
  const { error } = await timed(pool.run(job(RUNAWAY_CTE)))
  t.type(error, TimeoutError)
  t.equal((error as Error).message, 'query timeout (takes more than 1 second)')
  t.equal(pool.stats().restarts, restarts + 1, 'the worker was replaced')
  t.same((await pool.run(job('SELECT count(*) FROM products'))).rows, [['3']])
})

t.test('bombs end with a clear error, and the pool keeps serving', async t => {
  // The doubling string reaches the length limit in well under the time
  // limit on a quiet machine, and may meet the timer first on a loaded one.
  const bombs: Array<[string, Array<new (...args: any[]) => RunError>]> = [
    [CROSS_JOIN, [TimeoutError]],
    ['SELECT length(randomblob(1e9))', [LimitError]],
    ['SELECT zeroblob(2000000000)', [LimitError]],
    ["WITH RECURSIVE s(x) AS (SELECT 'ab' UNION ALL SELECT x || x FROM s) SELECT length(x) FROM s", [LimitError, TimeoutError]]
  ]
  const outcomes = await Promise.all(bombs.map(([sql], i) => timed(pool.run(job(sql, SCHEMA, `bomber ${i}`)))))
  bombs.forEach(([sql, kinds], i) => {
    t.ok(kinds.some(kind => outcomes[i].error instanceof kind), `${sql.slice(0, 40)}: ${(outcomes[i].error as Error)?.name}`)
  })
  t.same((await pool.run(job('SELECT 1 AS one'))).rows, [['1']])
})

t.test('while two runaways run, a normal query is served first', async t => {
  // A time limit far above what starting a worker takes on a loaded machine,
  // so the order seen is the scheduler's, not the timer's.
  const pool = new ExecutionPool({ size: 3, timeoutMs: 6000 })
  t.teardown(() => pool.close())
  await pool.ready()
  const order: string[] = []
  const track = (name: string, promise: Promise<unknown>) => promise.then(
    () => { order.push(`${name} ok`) },
    (error: Error) => { order.push(`${name} ${error.name}`) })
  const runaways = [track('runaway 1', pool.run(job(RUNAWAY_CTE, SCHEMA, 'a'))), track('runaway 2', pool.run(job(CROSS_JOIN, SCHEMA, 'b')))]
  const normal = track('normal', pool.run(job('SELECT name FROM products WHERE id = 1', SCHEMA, 'c')))
  await normal
  t.same(order, ['normal ok'], 'the normal query settled while both runaways were still running')
  t.equal(pool.stats().busy, 2)
  await pool.close()
  await Promise.all(runaways)
  t.same(order.slice(1).sort(), ['runaway 1 BusyError', 'runaway 2 BusyError'], 'closing the pool ends the runaways')
})

t.test('a shorter time limit has its own message', async t => {
  const quick = new ExecutionPool({ size: 1, timeoutMs: 300 })
  t.teardown(() => quick.close())
  await t.rejects(quick.run(job(RUNAWAY_CTE)), { name: 'TimeoutError', message: 'query timeout (takes more than 0.3 seconds)', timeoutMs: 300 })
})

t.test('a worker that crashes mid-run fails that run only and is replaced', async t => {
  for (const how of ['throw', 'exit'] as const) {
    const restarts = pool.stats().restarts
    const others = Array.from({ length: 3 }, (_, i) => pool.run(job('SELECT count(*) FROM products', SCHEMA, `other ${i}`)))
    await t.rejects(pool.crashWorkerForTest(how), new RunnerCrashError(), how)
    for (const result of await Promise.all(others)) t.same(result.rows, [['3']])
    t.equal(pool.stats().restarts, restarts + 1)
    t.same((await pool.run(job('SELECT 2 AS two'))).rows, [['2']])
  }
})

t.test('a worker that exhausts its heap dies alone and is replaced', async t => {
  const small = new ExecutionPool({ size: 1, timeoutMs: 20000, workerHeapMb: 64 })
  t.teardown(() => small.close())
  await t.rejects(small.crashWorkerForTest('oom'), RunnerCrashError)
  t.equal(small.stats().restarts, 1)
  t.same((await small.run(job('SELECT 3 AS three'))).rows, [['3']])
})

t.test('jobs queue while all workers are busy; past the bound they get BusyError', async t => {
  const busy = new ExecutionPool({ size: 1, timeoutMs: 300, maxQueued: 2 })
  t.teardown(() => busy.close())
  await busy.ready()
  const runaway = busy.run(job(RUNAWAY_CTE))
  const queued = [busy.run(job('SELECT 1 AS a')), busy.run(job('SELECT 2 AS a'))]
  // One worker running, one standby for when it times out; queued jobs wait.
  t.match(busy.stats(), { size: 1, workers: 2, busy: 1, queued: 2, ownersWaiting: 1, restarts: 0 })
  await t.rejects(busy.run(job('SELECT 3 AS a')), BusyError)
  await t.rejects(runaway, TimeoutError)
  t.same((await Promise.all(queued)).map(result => result.rows), [[['1']], [['2']]])
  t.equal(busy.stats().restarts, 1)
})

t.test('close rejects waiting and running jobs, and later ones', async t => {
  const closing = new ExecutionPool({ size: 1 })
  await closing.ready()
  const running = t.rejects(closing.run(job(RUNAWAY_CTE)), BusyError)
  const waiting = t.rejects(closing.run(job('SELECT 1')), BusyError)
  await closing.close()
  await running
  await waiting
  await t.rejects(closing.run(job('SELECT 1')), BusyError)
  t.same(closing.stats().busy, 0)
})
