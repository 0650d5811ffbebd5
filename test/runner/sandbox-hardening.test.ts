import t from 'tap'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { QueryError } from '../../services/dbrunner/lib/run-errors.ts'

// Variables in SQLite's TCL forms ("$x(...)", ":a::b") end where SQLite says
// they end; a checker that read them otherwise would miss the statements
// hidden behind a quote inside them.
const tricks = [
  "SELECT $x(');ATTACH loot AS l;SELECT 1",
  "SELECT :x::y(');ATTACH 'loot' AS l;SELECT 1",
  "SELECT @a(');ATTACH loot AS l",
  "SELECT #a(');ATTACH loot AS l",
  "SELECT $x(');PRAGMA soft_heap_limit = 1;SELECT 1",
  "SELECT $x(');VACUUM INTO 'copy';SELECT 1",
  'SELECT ?1',
  'SELECT :name'
]

t.test('variable forms cannot hide statements from the sandbox', async t => {
  await loadEngine()
  const image = buildImage('CREATE TABLE t (a INT); INSERT INTO t VALUES (1);')
  for (const query of tricks) {
    t.throws(() => runQuery(image, query), QueryError, `refused: ${query}`)
  }
  t.same(runQuery(image, "SELECT '$x(' || ')'").rows, [['$x()']], 'the same characters inside a string are fine')
  t.same(runQuery(image, 'SELECT a AS "$x(" FROM t').header, ['$x('], 'and inside a quoted name')
})

t.test('no run can leave a database behind for a later run', async t => {
  const pool = new ExecutionPool({ size: 1 })
  t.teardown(() => pool.close())
  const job = (query: string) => pool.run({ schemaKey: 'k', initialSql: "CREATE TABLE secret (v TEXT); INSERT INTO secret VALUES ('hidden row');", query })
  for (const query of tricks.slice(0, 4)) {
    await t.rejects(job(`${query};CREATE TABLE l.t AS SELECT * FROM main.secret`), QueryError)
  }
  const listed = await job('SELECT name FROM pragma_database_list')
  t.same(listed.rows, [['main']], 'the next run on the same worker sees only its own database')
  await t.rejects(job("SELECT * FROM loot.t"), { message: /no such table/ })
})

t.test('a job that cannot get a worker in time is refused as busy, not left waiting', async t => {
  const pool = new ExecutionPool({ size: 1, maxWaitMs: 300 })
  t.teardown(() => pool.close())
  const runaway = pool.run({ schemaKey: 'r', initialSql: 'CREATE TABLE t (a INT);', query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c' })
  const queued = pool.run({ schemaKey: 'r', initialSql: 'CREATE TABLE t (a INT);', query: 'SELECT 1' })
  await t.rejects(queued, { code: 'busy', statusCode: 503 }, 'the queued job gets a 503')
  await t.rejects(runaway, { code: 'timeout' })
  t.same((await pool.run({ schemaKey: 'r', initialSql: 'CREATE TABLE t (a INT);', query: 'SELECT 2' })).rows, [['2']], 'and the pool serves again')
})
