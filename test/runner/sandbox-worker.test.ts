// The sandbox worker's replies, talked to directly: every 'done' and
// 'failed' reply says how large the worker's WebAssembly memory is, so the
// pool can replace workers that grew too much.
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import t from 'tap'
import { defaultLimits } from '../../services/dbrunner/lib/sql-engine.ts'
import type { WorkerReply, WorkerRequest, WorkerSettings } from '../../services/dbrunner/lib/sandbox-worker.ts'

const WASM_PAGE = 64 * 1024
type Request = WorkerRequest extends infer R ? R extends WorkerRequest ? Omit<R, 'id'> : never : never

t.test('done and failed replies carry the size of the worker\'s wasm memory', async t => {
  const worker = new Worker(new URL('../../services/dbrunner/lib/sandbox-worker.ts', import.meta.url), {
    workerData: { limits: defaultLimits, cacheSize: 2 } satisfies WorkerSettings,
    execArgv: []
  })
  t.teardown(() => worker.terminate())
  const [ready] = await once(worker, 'message') as [WorkerReply]
  t.same(ready, { type: 'ready' })
  let id = 0
  const ask = async (request: Request): Promise<WorkerReply> => {
    const sent = { ...request, id: ++id } as WorkerRequest
    worker.postMessage(sent)
    const [reply] = await once(worker, 'message') as [WorkerReply]
    return reply
  }
  const schema = { schemaKey: 'k', initialSql: 'CREATE TABLE t (a INT); INSERT INTO t VALUES (1);' }

  const first = await ask({ type: 'run', ...schema, query: 'SELECT a FROM t' })
  t.match(first, { type: 'done', id: 1, result: { rows: [['1']] }, retire: false })
  if (first.type !== 'done') return
  t.ok(first.wasmBytes > 0 && first.wasmBytes % WASM_PAGE === 0, `${first.wasmBytes} bytes, whole wasm pages`)

  // A run that needs 40 MB of SQLite's heap grows the memory, which never shrinks.
  const grown = await ask({ type: 'run', ...schema, query: 'SELECT length(randomblob(40000000))' })
  t.match(grown, { type: 'done', result: { rows: [['40000000']] } })
  if (grown.type !== 'done') return
  t.ok(grown.wasmBytes > first.wasmBytes && grown.wasmBytes > 40_000_000, `grew from ${first.wasmBytes} to ${grown.wasmBytes} bytes`)

  const failed = await ask({ type: 'run', ...schema, query: 'SELECT * FROM nope' })
  t.match(failed, { type: 'failed', error: { code: 'query_error', message: 'no such table: nope' }, retire: false })
  if (failed.type !== 'failed') return
  t.equal(failed.wasmBytes, grown.wasmBytes)

  const built = await ask({ type: 'build', initialSql: 'CREATE TABLE x (y)' })
  t.match(built, { type: 'done', result: null, retire: false, wasmBytes: grown.wasmBytes })

  // A fault: reported as such, with the memory size, and the worker asks to be retired.
  const fault = await ask({ type: 'crash', how: 'engine-fault' })
  t.match(fault, { type: 'failed', error: { code: 'engine_fault' }, retire: true, wasmBytes: grown.wasmBytes })
})
