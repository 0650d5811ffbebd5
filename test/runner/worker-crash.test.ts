// A sandbox worker dies while running a job (a thrown error, process.exit, or
// running out of heap): the pool replaces it, only that job fails, with a
// clear message, and the jobs on other workers are unaffected. In process:
// the pool is what the runner service uses, and crashWorkerForTest makes the
// worker that takes the job die while running it.
import t from 'tap'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { RunnerCrashError } from '../../services/dbrunner/lib/run-errors.ts'
import type { CrashKind } from '../../services/dbrunner/lib/sandbox-worker.ts'

const SCHEMA = `CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL);
INSERT INTO products VALUES (1, 'Laptop', 999.0), (2, 'Mouse', 79.9), (3, 'Cable', 12.5);`
const job = (query: string) => ({ schemaKey: 'crash-test', initialSql: SCHEMA, query })
// Busy for a little while, so these jobs run alongside the crash.
const busyQuery = (n: number) => `WITH RECURSIVE c(x) AS (SELECT ${n} UNION ALL SELECT x+1 FROM c LIMIT 200000) SELECT count(*) FROM c`

t.test('the pool replaces a dead worker and fails only its job', async t => {
  const pool = new ExecutionPool({ size: 2, timeoutMs: 5000 })
  t.teardown(() => pool.close())
  await pool.ready()

  for (const how of ['throw', 'exit', 'oom'] as CrashKind[]) {
    const restartsBefore = pool.stats().restarts
    const others = Array.from({ length: 6 }, (_, i) => pool.run(job(busyQuery(i + 1))))
    const crash = pool.crashWorkerForTest(how).then(() => null, (error: unknown) => error)
    const settled = await Promise.allSettled(others)
    const error = await crash

    t.ok(error instanceof RunnerCrashError, `${how}: the job on the dying worker fails with RunnerCrashError`)
    t.equal((error as RunnerCrashError).status, 503, `${how}: as a 503 (retry)`)
    t.equal((error as Error).message, 'the SQL runner stopped unexpectedly; please try again', `${how}: with a clear message`)
    t.same(settled.map(result => result.status), Array(6).fill('fulfilled'), `${how}: every other job succeeds`)
    t.same(settled.map(result => result.status === 'fulfilled' ? result.value.rows[0]?.[0] : null), Array(6).fill('200000'))
    t.ok(pool.stats().restarts > restartsBefore, `${how}: the worker was replaced (restarts ${restartsBefore} → ${pool.stats().restarts})`)
    t.equal(pool.stats().size, 2, `${how}: the pool keeps its size`)
  }

  await pool.ready()
  const after = await Promise.all(Array.from({ length: 4 }, () => pool.run(job('SELECT name FROM products ORDER BY id'))))
  t.same(after.map(result => result.rows.length), [3, 3, 3, 3], 'the pool serves normally afterwards')
  t.match(pool.stats(), { busy: 0, queued: 0 })
})
