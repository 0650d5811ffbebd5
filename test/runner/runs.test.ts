// The runner's domain without a server: cached runs, grading on the visible
// database and hidden datasets, and a database's structure, on the real
// sandbox pool and the in-process cache.
import t from 'tap'
import { verdictHints } from '../../services/dbrunner/lib/grading.ts'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { grade } from '../../services/dbrunner/lib/grade.ts'
import { createMemoryCache } from '../../services/dbrunner/lib/result-cache.ts'
import { RunFailure } from '../../services/dbrunner/lib/run-failure.ts'
import { createRunDeps, runCached, runOutput, type RunDeps } from '../../services/dbrunner/lib/runs.ts'
import { structureOf } from '../../services/dbrunner/lib/structure.ts'

const shop = `CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL);
INSERT INTO products VALUES (1, 'Laptop', 999.0), (2, 'Mouse', 19.5), (3, 'Cable', NULL), (4, 'Mouse', 19.5);`
const otherRows = `CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL);
INSERT INTO products VALUES (1, 'Desk', 150.0), (2, 'Pen', 2.5);`

function setup (t: { teardown: (fn: () => unknown) => void }) {
  const pool = new ExecutionPool({ size: 2 })
  let runs = 0
  const deps: RunDeps = createRunDeps({ cache: createMemoryCache(), runner: { run: job => { runs++; return pool.run(job) } } })
  t.teardown(() => pool.close())
  return { deps, runs: () => runs }
}

t.test('a run executes once, and equivalent spellings share it', async t => {
  const { deps, runs } = setup(t)
  const first = await runOutput(deps, { database: shop, query: 'SELECT name, price FROM products WHERE price < 100' })
  t.same(first.output, { header: ['name', 'price'], rows: [['Mouse', '19.5'], ['Mouse', '19.5']] })
  const again = await runCached(deps, { database: shop, query: 'select name,   price\nfrom products -- cheap ones\nwhere price < 100;' })
  t.equal(again.inputHash, first.inputHash, 'keyword case, whitespace, comments and a trailing semicolon share one run')
  t.equal(runs(), 1, 'and cost no second execution')
  const literal = await runCached(deps, { database: shop, query: "SELECT name, price FROM products WHERE name = 'mouse'" })
  t.not(literal.inputHash, first.inputHash, 'literals matter')
  const otherDatabase = await runCached(deps, { database: otherRows, query: 'SELECT name, price FROM products WHERE price < 100' })
  t.not(otherDatabase.inputHash, first.inputHash, 'so does the database')
  t.equal(runs(), 3)
})

t.test('identical runs in flight at once execute once', async t => {
  const { deps, runs } = setup(t)
  const all = await Promise.all(Array.from({ length: 8 }, () => runCached(deps, { database: shop, query: 'SELECT count(*) FROM products' })))
  t.equal(new Set(all.map(run => run.inputHash)).size, 1)
  t.equal(runs(), 1, 'single flight')
})

t.test('failures: query errors are remembered, timeouts are not, broken databases throw', async t => {
  const { deps, runs } = setup(t)
  const failed = await runCached(deps, { database: shop, query: 'SELECT * FROM nope' })
  t.same(failed.record, { error: { code: 'query_error', status: 422, message: 'no such table: nope' } })
  await runCached(deps, { database: shop, query: 'SELECT * FROM nope' })
  t.equal(runs(), 1, 'a query error is a result too: remembered')
  const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'
  t.match((await runCached(deps, { database: shop, query: runaway })).record, { error: { code: 'timeout' } })
  await runCached(deps, { database: shop, query: runaway })
  t.equal(runs(), 3, 'a timeout depends on the load of the moment: run again')
  await t.rejects(runCached(deps, { database: 'CREATE TABLE oops (', query: 'SELECT 1' }), { name: 'SchemaError' })
})

t.test('grading on the visible database', async t => {
  const { deps } = setup(t)
  const answer = 'SELECT name, price FROM products WHERE price < 100'
  const verdict = (query: string, more: { answer?: string, datasets?: string[] } = {}) =>
    grade(deps, { database: shop, datasets: more.datasets ?? [], answer: more.answer ?? answer, query }).then(graded => graded.verdict)
  t.same(await verdict('SELECT name AS n, price AS p FROM products WHERE price < 100'), { same: true }, 'aliases do not matter')
  t.match(await verdict("SELECT name, price FROM products WHERE name = 'Mouse' LIMIT 1"), { same: false, reason: 'row count differs' })
  t.match(await verdict('SELECT name FROM products WHERE price < 100'), { same: false, reason: 'columns differ' })
  t.match(await verdict('SELECT name FROM products ORDER BY id', { answer: 'SELECT name FROM products ORDER BY price DESC, id' }),
    { same: false, reason: 'order differs' }, 'order matters when the answer ends with ORDER BY')
  t.same(await verdict("SELECT 'Mouse', '19.5' UNION ALL SELECT 'Mouse', '19.5'"), { same: true }, 'values compare as text, as SQLite prints them')
  await t.rejects(verdict('SELECT * FROM nope'), { stage: 'query', statusCode: 422, message: 'no such table: nope' }, 'the student\'s query failing is their error')
  const answerFails = await verdict('SELECT 1', { answer: 'SELECT secret_column FROM products' }).catch(error => error)
  t.ok(answerFails instanceof RunFailure, 'a failing reference answer is never a verdict')
  t.match(answerFails, { stage: 'answer', details: { dataset: null } })
})

t.test('grading on hidden datasets: a failure there is a mismatch, and nothing of them is shown', async t => {
  const { deps } = setup(t)
  const answer = 'SELECT name FROM products WHERE price > 100'
  const hardCoded = "SELECT 'Laptop'"
  t.same((await grade(deps, { database: shop, datasets: [], answer, query: hardCoded })).verdict, { same: true }, 'a hard-coded answer passes on the visible data alone')
  const failed = (await grade(deps, { database: shop, datasets: [otherRows], answer, query: hardCoded })).verdict
  t.match(failed, { same: false, reason: 'fails on a hidden dataset', hint: verdictHints['fails on a hidden dataset'] })
  t.match(failed.counterexample, { initial_sql: /CREATE TABLE products/, expected_rows: Array }, 'explained on data made from the visible rows')
  t.notMatch(JSON.stringify(failed), /Desk|Pen|150/, 'nothing of the hidden dataset is shown')
  t.same((await grade(deps, { database: shop, datasets: [otherRows], answer, query: 'SELECT name FROM products WHERE price >= 100.5' })).verdict, { same: true })
  // Right on the visible data, a runaway on the hidden one: the same answer as a mismatch.
  const trap = 'SELECT name FROM products WHERE price > 100 AND (name = \'Laptop\' OR (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c) > 0)'
  t.match((await grade(deps, { database: shop, datasets: [otherRows], answer, query: trap })).verdict, { same: false, reason: 'fails on a hidden dataset' })
  const broken = await grade(deps, { database: shop, datasets: [otherRows, 'CREATE TABLE products (name TEXT); INSERT INTO products VALUES (1)'], answer, query: 'SELECT name FROM products WHERE price > 100' }).catch(error => error)
  t.match(broken, { stage: 'answer', details: { dataset: 1 } }, 'a dataset the answer fails on is named by its index')
})

t.test('the structure of a database', async t => {
  const { deps } = setup(t)
  t.same(await structureOf(deps, shop), [{
    name: 'products',
    columns: [
      { name: 'id', type: 'INTEGER', primary_key: true, not_null: false },
      { name: 'name', type: 'TEXT', primary_key: false, not_null: true },
      { name: 'price', type: 'REAL', primary_key: false, not_null: false }
    ],
    foreign_keys: []
  }])
  await t.rejects(structureOf(deps, 'CREATE TABLE ('), { name: 'SchemaError' })
})

t.test('each owner adds at most its hourly share of bytes to the cache; beyond it results are served, not cached', async t => {
  const pool = new ExecutionPool({ size: 1 })
  t.teardown(() => pool.close())
  let runs = 0
  const deps = createRunDeps({ cache: createMemoryCache(), runner: { run: job => { runs++; return pool.run(job) } }, cacheBytesPerOwnerHour: 2000 })
  const big = (n: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 40) SELECT x, printf('%0${n}d', x) FROM c`
  const first = await runOutput(deps, { database: shop, query: big(20), owner: 'greedy' })
  t.equal(first.output?.rows.length, 40)
  await runOutput(deps, { database: shop, query: big(20), owner: 'greedy' })
  t.equal(runs, 1, 'within the share: cached')
  const over = await runOutput(deps, { database: shop, query: big(21), owner: 'greedy' })
  t.equal(over.output?.rows.length, 40, 'over the share: still served')
  await runOutput(deps, { database: shop, query: big(21), owner: 'greedy' })
  t.equal(runs, 3, 'but not cached')
  await runOutput(deps, { database: shop, query: big(21), owner: 'modest' })
  await runOutput(deps, { database: shop, query: big(21), owner: 'modest' })
  t.equal(runs, 4, 'another owner has a share of its own')
})
