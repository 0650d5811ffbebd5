// What a sandbox thread starts with: none of the service's environment (its
// connection strings), only a compile cache of its own pool, which goes
// away with the pool; and it runs below the request path.
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { SANDBOX_NICENESS } from '../../services/dbrunner/lib/thread-priority.ts'

const job = { schemaKey: 'env', initialSql: 'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);', query: 'SELECT a FROM t', owner: 'alice' }

t.test('a sandbox thread sees only its compile cache, not the service\'s environment', { skip: process.platform !== 'linux' && 'Linux only' }, async t => {
  process.env.PLAYGROUND_TEST_SECRET = 'postgres://user:secret@db/playground'
  t.teardown(() => { delete process.env.PLAYGROUND_TEST_SECRET })
  const pool = new ExecutionPool({ size: 1, timeoutMs: 10_000, workerUrl: new URL('./fixtures/env-reporting-worker.ts', import.meta.url) })
  const { rows } = await pool.run(job)
  const [names, nice, cache] = [rows.slice(0, -2), rows.at(-2), rows.at(-1)?.[0] ?? '']
  t.same(names, [['NODE_COMPILE_CACHE']], 'no other variable')
  t.same(nice, [`nice ${SANDBOX_NICENESS}`], 'the thread runs at the sandbox\'s nice value')
  t.match(cache, new RegExp(`^${join(tmpdir(), 'playground-sandbox-')}`), 'a compile cache directory of the pool\'s own')
  t.ok(existsSync(cache), 'which exists while the pool runs')

  await pool.close()
  t.notOk(existsSync(cache), 'closing the pool removes it')
})
