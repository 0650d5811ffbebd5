import t from 'tap'
import { buildImage, isEnginePoisoned, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { QueryError } from '../../services/dbrunner/lib/run-errors.ts'
import { seededRandom } from './seeded-random.ts'
import { disguise, lookalikeSpellings, randomCase, visible } from './unicode-spellings.ts'

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
  // Only the wait for a busy worker is measured, not the worker's start.
  await pool.ready()
  const runaway = pool.run({ schemaKey: 'r', initialSql: 'CREATE TABLE t (a INT);', query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c' })
  const queued = pool.run({ schemaKey: 'r', initialSql: 'CREATE TABLE t (a INT);', query: 'SELECT 1' })
  await t.rejects(queued, { code: 'busy', statusCode: 503 }, 'the queued job gets a 503')
  await t.rejects(runaway, { code: 'timeout' })
  await pool.ready() // the replacement of the stopped worker
  t.same((await pool.run({ schemaKey: 'r', initialSql: 'CREATE TABLE t (a INT);', query: 'SELECT 2' })).rows, [['2']], 'and the pool serves again')
})

// The checks fold case for ASCII letters only, as SQLite does: a word is
// refused as a keyword (or admitted as a known PRAGMA) exactly when SQLite
// would read it as one. "ſ", "ı", the Kelvin sign, ... fold into ASCII
// letters in JavaScript, never in SQLite.
t.test('the statement checks read words as SQLite does', async t => {
  await loadEngine()
  const image = buildImage('CREATE TABLE t (a INT); INSERT INTO t VALUES (1);')
  const random = seededRandom(5)
  const spellings = (word: string) => ({
    ascii: Array.from({ length: 4 }, () => randomCase(random, word)),
    unicode: [...lookalikeSpellings(word), ...Array.from({ length: 3 }, () => disguise(random, word))]
  })

  const refusedWords: Array<[string, (word: string) => string, RegExp]> = [
    ['ATTACH', word => `${word} ':memory:' AS other`, /ATTACH is not allowed/],
    ['DETACH', word => `${word} main`, /DETACH is not allowed/],
    ['VACUUM', word => word, /VACUUM is not allowed/]
  ]
  for (const [keyword, statement, refusal] of refusedWords) {
    const { ascii, unicode } = spellings(keyword)
    for (const word of ascii) t.throws(() => runQuery(image, statement(word)), { name: 'QueryError', message: refusal }, word)
    for (const word of unicode) {
      // A name to SQLite: its own syntax error, not the sandbox's refusal.
      t.throws(() => runQuery(image, statement(word)), { name: 'QueryError', message: /syntax error/ }, visible(word))
    }
  }

  // Allowed PRAGMAs: admitted in any ASCII case; a lookalike spelling is a
  // PRAGMA SQLite does not know, so the allow-list does not admit it either.
  for (const pragma of ['foreign_keys', 'foreign_key_check', 'table_info', 'index_list', 'quick_check', 'table_list']) {
    const { ascii, unicode } = spellings(pragma)
    for (const name of ascii) t.doesNotThrow(() => runQuery(image, `PRAGMA ${name}${pragma.includes('_info') ? '(t)' : ''}`), name)
    for (const name of unicode) {
      t.throws(() => runQuery(image, `PRAGMA ${name}`), new QueryError(`PRAGMA ${name.replace(/[A-Z]/g, c => c.toLowerCase())} is not allowed in the sandbox`), visible(name))
    }
  }

  // Engine-wide PRAGMAs, refused even in schema SQL: refused in any ASCII
  // case; a lookalike spelling is a PRAGMA SQLite ignores, so it may pass.
  for (const pragma of ['soft_heap_limit', 'hard_heap_limit', 'threads', 'mmap_size', 'temp_store_directory']) {
    const { ascii, unicode } = spellings(pragma)
    for (const name of ascii) t.throws(() => buildImage(`PRAGMA ${name} = 1; CREATE TABLE a (x)`), { name: 'SchemaError', message: /is not allowed in the sandbox/ }, name)
    for (const name of unicode) t.ok(buildImage(`PRAGMA ${name} = 1; CREATE TABLE a (x)`).length > 0, visible(name))
  }

  // VACUUM INTO in schema SQL: INTO spelled with a lookalike is a schema name
  // to SQLite, and the statement is SQLite's syntax error.
  const into = spellings('INTO')
  for (const word of into.ascii) t.throws(() => buildImage(`CREATE TABLE a (x); VACUUM ${word} 'copy.db'`), { name: 'SchemaError', message: 'VACUUM is not allowed in the sandbox' }, word)
  for (const word of into.unicode) {
    t.throws(() => buildImage(`CREATE TABLE a (x); VACUUM ${word} 'copy.db'`), { name: 'SchemaError', message: /syntax error/ }, visible(word))
  }
  t.equal(isEnginePoisoned(), false, 'and nothing changed engine-wide')
  t.same(runQuery(image, 'SELECT a FROM t').rows, [['1']])
})
