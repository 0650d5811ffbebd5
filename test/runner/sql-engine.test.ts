import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { LimitError, QueryError, SchemaError } from '../../services/dbrunner/lib/run-errors.ts'
import { buildImage, defaultLimits, isEnginePoisoned, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'

await loadEngine()

const SCHEMA = `
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL, added TEXT, code BLOB);
INSERT INTO products VALUES
  (1, 'Laptop', 999.0, '2024-03-05', x'CAFE01'),
  (2, 'Mouse', 79.9, '2023-12-31 10:15:00', NULL),
  (3, NULL, 12.5, NULL, x'');
`
const image = buildImage(SCHEMA)
const run = (query: string, limits = defaultLimits) => runQuery(image, query, limits)

// A directory on the host that no query may write into.
const hostDir = mkdtempSync(join(tmpdir(), 'sandbox-escape-'))
t.teardown(() => rmSync(hostDir, { recursive: true, force: true }))

t.test('defaults', async t => {
  t.same(defaultLimits, { maxRows: 1000, maxResultBytes: 1024 * 1024, maxQueryBytes: 64 * 1024, memoryBytes: 64 * 1024 * 1024 })
})

t.test('a valid query gives its header and rows as text, in SQLite\'s own rendering', async t => {
  t.same(run('SELECT id, name, price FROM products ORDER BY id'), {
    header: ['id', 'name', 'price'],
    rows: [['1', 'Laptop', '999.0'], ['2', 'Mouse', '79.9'], ['3', null, '12.5']]
  })
})

t.test('numbers are printed the way CAST(x AS TEXT) prints them', async t => {
  const sql = 'SELECT 42, 999.0, 79.9, 12.5, 0.1 + 0.2, 9223372036854775807, 1e300, -0.0, 100.0 / 3'
  const cast = 'SELECT ' + sql.slice('SELECT '.length).split(', ').map(e => `CAST(${e} AS TEXT)`).join(', ')
  const { rows } = run(sql)
  t.same(rows, [['42', '999.0', '79.9', '12.5', '0.30000000000000004', '9223372036854775807', '1.0e+300', '0.0', '33.333333333333336']])
  t.same(run(cast).rows, rows)
})

t.test('NULL cells are null; the text "NULL" is text', async t => {
  t.same(run("SELECT NULL, 'NULL', name FROM products WHERE id = 3").rows, [[null, 'NULL', null]])
})

t.test('blobs are upper-case hex; empty blob is the empty string', async t => {
  t.same(run('SELECT code FROM products ORDER BY id').rows, [['CAFE01'], [null], ['']])
  t.same(run("SELECT x'00ff10', hex(x'00ff10')").rows, [['00FF10', '00FF10']])
})

t.test('duplicate column names are kept in order', async t => {
  t.same(run('SELECT 1 AS a, 2 AS a, 3 AS b').header, ['a', 'a', 'b'])
})

t.test('a SELECT without rows keeps its header', async t => {
  t.same(run('SELECT id, name FROM products WHERE 0'), { header: ['id', 'name'], rows: [] })
})

t.test('empty and comment-only queries give an empty result', async t => {
  t.same(run(''), { header: [], rows: [] })
  t.same(run('  \n\t '), { header: [], rows: [] })
  t.same(run('-- nothing here\n/* or here */'), { header: [], rows: [] })
  t.same(run(';;'), { header: [], rows: [] })
})

t.test('UPDATE without RETURNING gives an empty result; with RETURNING, its rows', async t => {
  t.same(run('UPDATE products SET price = price * 2'), { header: [], rows: [] })
  t.same(run('UPDATE products SET price = price * 2 WHERE id < 3 RETURNING id, price'), {
    header: ['id', 'price'],
    rows: [['1', '1998.0'], ['2', '159.8']]
  })
})

t.test('statements run in order and the last one with columns is the result', async t => {
  t.same(run("UPDATE products SET name = 'Tablet' WHERE id = 1; SELECT name FROM products WHERE id = 1").rows, [['Tablet']])
  t.same(run("SELECT 'first'; UPDATE products SET name = 'x'").rows, [['first']])
  t.same(run("SELECT 'first'; SELECT 'second'; -- trailing comment").rows, [['second']])
  t.same(run('CREATE TABLE t (a); INSERT INTO t VALUES (1), (2); SELECT sum(a) AS total FROM t'), { header: ['total'], rows: [['3']] })
})

t.test('nothing a run does is visible to the next run', async t => {
  run("UPDATE products SET name = 'changed'; DELETE FROM products WHERE id = 2; CREATE TABLE extra (x)")
  t.same(run('SELECT name FROM products ORDER BY id').rows, [['Laptop'], ['Mouse'], [null]])
  t.throws(() => run('SELECT * FROM extra'), new QueryError('no such table: extra'))
})

t.test('MySQL-style helpers', async t => {
  t.same(run('SELECT YEAR(added), MONTH(added), DAY(added), typeof(YEAR(added)) FROM products ORDER BY id').rows, [
    ['2024', '3', '5', 'integer'],
    ['2023', '12', '31', 'integer'],
    [null, null, null, 'null']
  ])
  t.same(run("SELECT year('not a date'), month('2024-13-01'), day(NULL)").rows, [[null, null, null]])
  t.same(run('SELECT count(*) FROM products WHERE YEAR(added) = 2024').rows, [['1']])
  t.same(run("SELECT LEFT(name, 3), left('héllo', 2), LEFT('abc', 0), LEFT(NULL, 2), LEFT('abc', NULL), LEFT(price, 4) FROM products WHERE id = 1").rows,
    [['Lap', 'hé', '', null, null, '999.']])
  t.same(run("SELECT IF(price > 100, 'expensive', 'cheap'), IF(NULL, 1, 2), typeof(IF(1, 2, 3)) FROM products ORDER BY id").rows,
    [['expensive', '2', 'integer'], ['cheap', '2', 'integer'], ['cheap', '2', 'integer']])
})

t.test('a failing query gives QueryError with the engine message', async t => {
  t.throws(() => run('SELECT * FROM nope'), new QueryError('no such table: nope'))
  t.throws(() => run('SELEC 1'), new QueryError('near "SELEC": syntax error'))
  t.throws(() => run('SELECT 1; SELECT * FROM nope'), { name: 'QueryError', code: 'query_error', status: 422 })
})

t.test('a broken schema gives SchemaError with the engine message', async t => {
  t.throws(() => buildImage('CREATE TABLE a (x); INSERT INTO b VALUES (1)'), new SchemaError('no such table: b'))
  t.throws(() => buildImage('CREATE TABL a (x)'), { name: 'SchemaError', message: 'near "TABL": syntax error', status: 500 })
})

t.test('an image reopened per run keeps the whole schema', async t => {
  const other = buildImage('CREATE TABLE a (x); CREATE VIEW v AS SELECT x * 2 AS y FROM a; INSERT INTO a VALUES (21);')
  t.same(runQuery(other, 'SELECT y FROM v'), { header: ['y'], rows: [['42']] })
})

t.test('sandbox: ATTACH is refused and creates no host file', async t => {
  const target = join(hostDir, 'attached.db')
  for (const sql of [
    `ATTACH '${target}' AS a; CREATE TABLE a.t (x)`,
    `attach database '${target}' as a`,
    `/* hidden */ATTACH '${target}' AS a`,
    `EXPLAIN ATTACH '${target}' AS a`
  ]) {
    t.throws(() => run(sql), { name: 'QueryError', message: /ATTACH is not allowed/ }, sql)
  }
  t.throws(() => run('DETACH main'), { name: 'QueryError', message: /DETACH is not allowed/ })
  t.throws(() => buildImage(`ATTACH '${target}' AS a`), { name: 'SchemaError', message: /ATTACH is not allowed/ })
  t.equal(existsSync(target), false)
  t.same(readdirSync(hostDir), [])
})

t.test('sandbox: VACUUM INTO is refused and creates no host file', async t => {
  const target = join(hostDir, 'copy.db')
  t.throws(() => run(`VACUUM INTO '${target}'`), new QueryError('VACUUM is not allowed in the sandbox'))
  t.throws(() => run(`VACUUM main INTO '${target}'`), new QueryError('VACUUM is not allowed in the sandbox'))
  t.throws(() => buildImage(`CREATE TABLE a (x); VACUUM INTO '${target}'`), new SchemaError('VACUUM is not allowed in the sandbox'))
  t.equal(existsSync(target), false)
})

t.test('sandbox: extensions and file functions do not exist', async t => {
  t.throws(() => run(`SELECT load_extension('${join(hostDir, 'x.so')}')`), new QueryError('no such function: load_extension'))
  t.throws(() => run(`SELECT writefile('${join(hostDir, 'w.txt')}', 'x')`), new QueryError('no such function: writefile'))
  t.throws(() => run("SELECT readfile('/etc/passwd')"), new QueryError('no such function: readfile'))
  t.same(readdirSync(hostDir), [])
})

t.test('sandbox: sql.js keeps even an allowed file write in its in-memory FS', async t => {
  // Below the engine's own checks: plain sql.js, writing a path that exists on the host.
  const initSqlJs = createRequire(import.meta.url)('sql.js') as () => Promise<{ Database: new () => { exec (sql: string): unknown, close (): void } }>
  const SQL = await initSqlJs()
  const db = new SQL.Database()
  const name = `sandbox-${process.pid}-${Date.now()}`
  db.exec(`ATTACH '/tmp/${name}.db' AS a; CREATE TABLE a.t (x); INSERT INTO a.t VALUES (1); VACUUM INTO '/tmp/${name}-copy.db'`)
  db.close()
  t.equal(existsSync(`/tmp/${name}.db`), false)
  t.equal(existsSync(`/tmp/${name}-copy.db`), false)
  // A directory that exists only on the host cannot even be opened.
  const db2 = new SQL.Database()
  t.throws(() => db2.exec(`ATTACH '${join(hostDir, 'y.db')}' AS a`), /unable to open database/)
  db2.close()
  t.same(readdirSync(hostDir), [])
})

t.test('sandbox: PRAGMAs that change engine-wide or sandbox settings are refused', async t => {
  for (const sql of [
    'PRAGMA hard_heap_limit = 1',
    'PRAGMA soft_heap_limit = 1',
    'EXPLAIN PRAGMA hard_heap_limit = 1', // pragmas act while being compiled
    'PRAGMA max_page_count = 4294967294',
    'PRAGMA main.max_page_count = 4294967294',
    'PRAGMA "temp_store" = FILE',
    'PRAGMA journal_mode = DELETE',
    'PRAGMA writable_schema = ON'
  ]) {
    t.throws(() => run(sql), { name: 'QueryError', message: /^PRAGMA \w+ is not allowed in the sandbox$/ }, sql)
  }
  t.throws(() => buildImage('PRAGMA hard_heap_limit = 1'), { name: 'SchemaError' })
  // Harmless ones still work.
  t.same(run('PRAGMA table_info(products)').rows.map(row => row[1]), ['id', 'name', 'price', 'added', 'code'])
  t.same(run('PRAGMA foreign_keys = ON; PRAGMA foreign_keys').rows, [['1']])
  t.same(run("SELECT name FROM pragma_table_info('products') WHERE pk = 1").rows, [['id']])
  t.same(buildImage('PRAGMA foreign_keys = ON; CREATE TABLE a (x)').length > 0, true)
  t.equal(isEnginePoisoned(), false)
})

t.test('limit: query size', async t => {
  const limits = { ...defaultLimits, maxQueryBytes: 100 }
  const fits = 'SELECT ' + "'x'".padEnd(93, ' ')
  t.equal(Buffer.byteLength(fits), 100)
  t.same(run(fits, limits).rows, [['x']])
  t.throws(() => run(fits + ' ', limits), new LimitError('query is too long: 101 bytes, the limit is 100 bytes'))
  t.throws(() => run('SELECT ' + "'a'".repeat(22000)), { name: 'LimitError', message: /the limit is 64 KiB/, status: 422, code: 'limit' })
})

t.test('limit: rows', async t => {
  const rows = (n: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x FROM c`
  t.equal(run(rows(1000)).rows.length, 1000)
  t.throws(() => run(rows(1001)), new LimitError('result has more than 1000 rows'))
  t.throws(() => run(rows(11), { ...defaultLimits, maxRows: 10 }), new LimitError('result has more than 10 rows'))
  // Runaway recursion is stopped by the row limit as soon as it returns rows.
  t.throws(() => run('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c'), new LimitError('result has more than 1000 rows'))
})

t.test('limit: result bytes', async t => {
  t.equal(run('SELECT randomblob(500000)').rows[0][0]!.length, 1000000)
  t.throws(() => run('SELECT randomblob(600000)'), new LimitError('result is larger than 1 MiB'))
  t.throws(() => run("SELECT printf('%.*c', 400, 'x') FROM products", { ...defaultLimits, maxResultBytes: 1000 }), new LimitError('result is larger than 1000 bytes'))
})

t.test('limit: memory bombs fail fast with a clear error instead of taking memory', async t => {
  const before = process.memoryUsage().rss
  t.throws(() => run('SELECT length(randomblob(1e9))'), { name: 'LimitError', message: /more than 64 MiB of memory/ })
  t.throws(() => run('SELECT length(zeroblob(500000000) || 1)'), { name: 'LimitError', message: /more than 64 MiB of memory/ })
  t.throws(() => run('SELECT zeroblob(2000000000)'), { name: 'LimitError', message: /too big/ })
  t.throws(() => run("WITH RECURSIVE s(x) AS (SELECT 'ab' UNION ALL SELECT x || x FROM s) SELECT length(x) FROM s"), { name: 'LimitError', message: /memory/ })
  t.throws(() => run("SELECT count(*) FROM (SELECT group_concat(printf('%.*c', 100000, 'x')) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) SELECT i FROM c))"), { name: 'LimitError' })
  // Had any of these been allowed, the WebAssembly heap would have grown by gigabytes.
  const grown = process.memoryUsage().rss - before
  t.ok(grown < 300 * 1024 * 1024, `rss grew by ${Math.round(grown / 1024 / 1024)} MiB`)
  // And the engine still works afterwards.
  t.same(run('SELECT count(*) FROM products').rows, [['3']])
})

t.test('limit: a run cannot grow the database without bound', async t => {
  t.throws(() => run(`CREATE TABLE big (x);
    INSERT INTO big SELECT randomblob(1000000) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200) SELECT i FROM c)`),
  { name: 'LimitError', message: /database would grow by more than 64 MiB/ })
  t.throws(() => run(`CREATE TEMP TABLE big (x);
    INSERT INTO big SELECT randomblob(1000000) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200) SELECT i FROM c)`),
  { name: 'LimitError' })
  t.same(run('SELECT count(*) FROM products').rows, [['3']])
})

t.test('after all of the above the engine is still healthy', async t => {
  t.equal(isEnginePoisoned(), false)
  t.same(run('SELECT name FROM products ORDER BY id').rows, [['Laptop'], ['Mouse'], [null]])
})
