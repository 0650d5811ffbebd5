// Engine faults retire the worker: a WebAssembly trap, a stack overflow or
// internal damage inside SQLite is a 503-class runner fault, never a query
// error or a result. SQLite's own limits keep students' SQL from getting there.
import t from 'tap'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { EngineFaultError, LimitError, RunnerCrashError } from '../../services/dbrunner/lib/run-errors.ts'
import { LIKE_PATTERN_BYTES } from '../../services/dbrunner/lib/sandbox-policy.ts'
import { buildImage, isEnginePoisoned, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'

await loadEngine()
const SCHEMA = "CREATE TABLE t (a TEXT, d TEXT); INSERT INTO t VALUES ('abc', '2024-03-05');"
const image = buildImage(SCHEMA)
const likeLimit = new LimitError(`a LIKE or GLOB pattern is longer than ${LIKE_PATTERN_BYTES} bytes (LIKE or GLOB pattern too complex)`)

t.test('a deep LIKE pattern is refused by SQLite\'s limit, as a limit error', async t => {
  // 20 000 nested '%': deep enough to overflow SQLite's stack without the limit.
  t.throws(() => runQuery(image, `SELECT printf('%.*c', 20000, 'a') LIKE '${'%a'.repeat(20000)}b'`), likeLimit)
  // A pattern made while the query runs is caught by the same limit.
  t.throws(() => runQuery(image, "SELECT printf('%.*c', 20000, 'a') LIKE replace(printf('%.*c', 20000, 'x'), 'x', '%a') || 'b'"), likeLimit)
  t.throws(() => runQuery(image, "SELECT printf('%.*c', 20000, 'a') GLOB replace(printf('%.*c', 20000, 'x'), 'x', '*a') || 'b'"), likeLimit)
  // The longest pattern allowed runs and answers.
  const longest = '%a'.repeat(LIKE_PATTERN_BYTES / 2 - 1) + 'bb'
  t.equal(Buffer.byteLength(longest), LIKE_PATTERN_BYTES)
  t.same(runQuery(image, `SELECT printf('%.*c', 2000, 'a') LIKE '${longest}', printf('%.*c', 2000, 'a') || 'bb' LIKE '${longest}'`).rows, [['0', '1']])
  t.equal(isEnginePoisoned(), false)
})

t.test('expressions as deep as the limits allow run; deeper ones are limit errors, never faults', async t => {
  // Run here, on the main thread, whose stack is a quarter of a worker's.
  const shapes: Record<string, (n: number) => string> = {
    sum: n => Array(n).fill('1').join(' + '),
    calls: n => 'abs('.repeat(n) + '1' + ')'.repeat(n),
    not: n => 'NOT '.repeat(n) + '1',
    parentheses: n => '('.repeat(n) + '1' + ')'.repeat(n),
    case: n => 'CASE WHEN 1 THEN '.repeat(n) + '1' + ' END'.repeat(n),
    between: n => '1 BETWEEN 0 AND '.repeat(n) + '2',
    casts: n => 'CAST('.repeat(n) + '1' + ' AS TEXT)'.repeat(n),
    exists: n => 'EXISTS (SELECT '.repeat(n) + '1' + ')'.repeat(n),
    in: n => '1 IN ('.repeat(n) + '1' + ')'.repeat(n),
    json: n => "'[1]'" + " -> '$'".repeat(n),
    collate: n => "'a'" + ' COLLATE nocase'.repeat(n)
  }
  for (const [shape, expression] of Object.entries(shapes)) {
    const outcomes: string[] = []
    for (const depth of [10, 120, 240, 1000, 3000]) {
      try {
        runQuery(image, `SELECT ${expression(depth)} FROM t`)
        outcomes.push('ran')
      } catch (error) {
        outcomes.push(error instanceof LimitError ? 'limit' : `${(error as Error).name}: ${(error as Error).message}`)
      }
    }
    t.equal(outcomes[0], 'ran', `${shape}: 10 deep runs`)
    t.ok(outcomes.every(outcome => outcome === 'ran' || outcome === 'limit'), `${shape}: ${outcomes.join(', ')}`)
    t.equal(outcomes[4], 'limit', `${shape}: 3000 deep is refused by a limit`)
  }
  t.equal(isEnginePoisoned(), false)
})

t.test('SQLite\'s other limits are set', async t => {
  const columns = Array.from({ length: 501 }, (_, i) => `c${i}`).join(', ')
  t.throws(() => runQuery(image, `CREATE TABLE w (${columns})`), new LimitError('too many columns on w'))
  t.throws(() => runQuery(image, Array(201).fill('SELECT 1').join(' UNION ALL ')), new LimitError('too many terms in compound SELECT'))
  t.throws(() => runQuery(image, `SELECT max(${Array(128).fill('1').join(', ')})`), new LimitError('too many arguments on function max'))
  t.throws(() => runQuery(image, `SELECT ${'('.repeat(1001)}1${')'.repeat(1001)}`), new LimitError('the query is nested too deeply (Recursion limit)'))
  t.same(runQuery(image, `SELECT count(*) FROM (${Array(200).fill('SELECT 1').join(' UNION ALL ')})`).rows, [['200']])
})

t.test('defensive mode: shadow tables and the schema table are read-only', async t => {
  const fts = "CREATE VIRTUAL TABLE f USING fts3(body); INSERT INTO f VALUES ('hello world');"
  const withFts = buildImage(fts)
  t.same(runQuery(withFts, "SELECT body FROM f WHERE f MATCH 'hello'").rows, [['hello world']], 'full-text search works')
  for (const write of ["INSERT INTO f_content VALUES (9, 'forged')", 'DELETE FROM f_segdir', "UPDATE f_segments SET block = x'00'"]) {
    const table = /(f_\w+)/.exec(write)![1]
    t.throws(() => runQuery(withFts, write), { name: 'QueryError', message: `table ${table} may not be modified` }, write)
    t.throws(() => buildImage(fts + write), { name: 'SchemaError', message: `table ${table} may not be modified` }, `schema: ${write}`)
  }
  t.throws(() => buildImage("CREATE TABLE a (x); PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE TABLE a (y)'"),
    { name: 'SchemaError', message: 'table sqlite_master may not be modified' })
})

t.test('an engine fault in a worker is a 503 and retires the worker; the next run gets a fresh one', async t => {
  const pool = new ExecutionPool({ size: 1 })
  t.teardown(() => pool.close())
  const run = (query: string) => pool.run({ schemaKey: 's', initialSql: SCHEMA, query })
  t.same((await run('SELECT a FROM t')).rows, [['abc']])
  const before = pool.stats().restarts
  // A limit error is the query's own: the worker stays.
  await t.rejects(run(`SELECT a LIKE '${'%a'.repeat(20000)}' FROM t`), likeLimit)
  t.equal(pool.stats().restarts, before, 'a limit error keeps the worker')
  // SQLite traps (an out-of-bounds memory access) inside a job.
  const fault = await pool.crashWorkerForTest('engine-fault').catch((error: unknown) => error)
  t.ok(fault instanceof EngineFaultError && fault instanceof RunnerCrashError, 'a runner fault')
  t.match(fault, { code: 'engine_fault', statusCode: 503, expose: true })
  t.equal(pool.stats().restarts, before + 1, 'the worker was replaced')
  t.same((await run('SELECT upper(a), YEAR(d) FROM t')).rows, [['ABC', '2024']], 'the next run works, on a fresh worker')
})

// Calls `body` with only `spare` frames of stack left: recurses until the
// stack overflows, then calls it `spare` frames up from the deepest point.
function callNearStackEnd (spare: number, body: () => unknown): { result?: unknown, error?: unknown } {
  const outcome: { result?: unknown, error?: unknown } = {}
  const dive = (): number => {
    let left: number
    try {
      left = dive()
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      return spare
    }
    if (left !== 0) return left > 0 ? left - 1 : left
    try {
      outcome.result = body()
    } catch (error) {
      outcome.error = error
    }
    return -1
  }
  dive()
  return outcome
}

// Last: it leaves this process's engine poisoned.
t.test('a stack overflow inside the engine is a fault, never a query error or a result', async t => {
  const query = "SELECT LEFT(a, 2), YEAR(d), a LIKE '%b%' FROM t"
  let fault: unknown
  // Leave the engine a little more stack each time, until it either faults or has enough.
  for (let spare = 1; spare < 100_000 && fault === undefined; spare++) {
    const { result, error } = callNearStackEnd(spare, () => runQuery(image, query))
    if (error === undefined) {
      t.same(result, { header: ['LEFT(a, 2)', 'YEAR(d)', "a LIKE '%b%'"], rows: [['ab', '2024', '1']] }, 'a run that completes is right')
      break
    }
    // An overflow before the engine was entered is the test's own.
    if (error instanceof RangeError && !isEnginePoisoned()) continue
    fault = error
  }
  t.ok(fault instanceof EngineFaultError || (fault instanceof RangeError && isEnginePoisoned()),
    `the overflow came out as an engine fault: ${String(fault)} (${String((fault as Error)?.cause)})`)
  t.equal(isEnginePoisoned(), true)
  t.throws(() => runQuery(image, 'SELECT 1'), EngineFaultError, 'and the engine refuses to run again')
})
