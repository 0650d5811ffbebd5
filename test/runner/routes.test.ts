// The runner service in process (its own platformatic.json), through its
// routes: pure compute, every request carries the SQL it works on.
import t from 'tap'
import { verdictHints } from '../../services/dbrunner/lib/grading.ts'
import type { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { startService } from '../helpers/service.ts'

const shop = `CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL);
INSERT INTO products VALUES (1, 'Laptop', 999.0), (2, 'Mouse', 79.9), (3, 'Cable', 12.5);`

t.test('the runner service', async t => {
  const runner = await startService(t, 'dbrunner', { REDIS_URL: '' })
  const { call } = runner

  t.test('runs: hashes, the result when asked, and failures that name their stage', async t => {
    const run = await call('POST', '/runs', { database: shop, query: 'SELECT name FROM products ORDER BY id', result: true })
    t.equal(run.status, 200)
    t.match(run.body, { input_hash: /^[\w-]{43}$/, output_hash: /^[\w-]{43}$/, result: { header: ['name'], rows: [['Laptop'], ['Mouse'], ['Cable']] } })
    const bare = await call('POST', '/runs', { database: shop, query: 'select name from products order by id;' })
    t.same(bare.body, { input_hash: run.body.input_hash, output_hash: run.body.output_hash }, 'the same run, without the result unless asked')
    t.same((await call('POST', '/runs', { database: shop, query: 'SELECT * FROM nope' })).body,
      { message: 'no such table: nope', stage: 'query', code: 'query_error', dataset: null })
    t.match(await call('POST', '/runs', { database: 'CREATE TABLE (', query: 'SELECT 1' }), { status: 422, body: { stage: 'schema', code: 'schema_error' } })
    t.match(await call('POST', '/runs', { database: shop, query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c' }),
      { status: 422, body: { stage: 'query', code: 'timeout', message: 'query timeout (takes more than 1 second)' } })
  })

  t.test('bodies are validated strictly: no type coercion', async t => {
    t.match(await call('POST', '/runs', { database: shop, query: ['SELECT 1'] }), { status: 400, body: { message: /query/ } })
    t.match(await call('POST', '/runs', { database: shop, query: 'SELECT 1', result: 'true' }), { status: 400, body: { message: /result/ } })
    t.match(await call('POST', '/runs', { database: 7, query: 'SELECT 1' }), { status: 400, body: { message: /database/ } })
    t.match(await call('POST', '/runs', { database: shop }), { status: 400, body: { message: 'query: is required' } })
  })

  t.test('grades', async t => {
    const answer = 'SELECT name FROM products WHERE price > 50'
    // The verdict, and the output hash of the query's visible result (what groups mistakes).
    const graded = async (body: object) => {
      const { output_hash: hash, ...verdict } = (await call('POST', '/grades', body)).body
      t.match(hash, /^[\w-]{43}$/)
      return verdict
    }
    t.same(await graded({ database: shop, answer, query: "SELECT name FROM products WHERE name <> 'Cable'" }), { same: true })
    t.same(await graded({ database: shop, answer, query: "SELECT 'Laptop'" }),
      { same: false, reason: 'row count differs', hint: verdictHints['row count differs'], expected_row: ['Mouse'], actual_row: null })
    const hidden = "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL); INSERT INTO products VALUES (1, 'Desk', 150);"
    const hiddenFailure = await graded({ database: shop, datasets: [hidden], answer, query: "SELECT 'Laptop' UNION ALL SELECT 'Mouse'" })
    t.match(hiddenFailure, { same: false, reason: 'fails on a hidden dataset', hint: verdictHints['fails on a hidden dataset'] })
    t.notMatch(JSON.stringify(hiddenFailure), /Desk|150/, 'nothing of a hidden dataset is shown')
    t.same(await graded({ database: shop, answer: 'SELECT name, price FROM products ORDER BY price', query: 'SELECT name, price + 0.0001 FROM products ORDER BY 2', settings: { numeric_tolerance: 0.001 } }),
      { same: true }, 'under the question\'s grading settings')
    t.match(await call('POST', '/grades', { database: shop, answer: 'SELECT nope FROM products', query: 'SELECT 1' }), { status: 422, body: { stage: 'answer', dataset: null } })
  })

  t.test('checks and structures of teachers\' SQL', async t => {
    t.equal((await call('POST', '/checks', { database: shop, query: 'SELECT name FROM products' })).status, 204)
    t.match(await call('POST', '/checks', { database: shop, query: 'SELECT nope' }), { status: 422, body: { stage: 'query', message: 'no such column: nope' } })
    t.match(await call('POST', '/checks', { database: 'CREATE TABLE (' }), { status: 422, body: { stage: 'schema' } })
    t.match((await call('POST', '/structures', { database: shop })).body, { tables: [{ name: 'products', columns: [{ name: 'id', type: 'INTEGER', primary_key: true }] }] })
  })

  t.test('structures carry the foreign keys SQLite reads from the schema', async t => {
    const library = `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE editions (isbn TEXT, lang TEXT, PRIMARY KEY (lang, isbn));
CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id), co_author INTEGER REFERENCES authors,
  edition_isbn TEXT, edition_lang TEXT, sequel_of INTEGER REFERENCES books(id),
  FOREIGN KEY (edition_lang, edition_isbn) REFERENCES editions);
CREATE TABLE notes (body TEXT, about INTEGER REFERENCES missing(x));`
    const { status, body } = await call('POST', '/structures', { database: library })
    t.equal(status, 200)
    const byName = Object.fromEntries((body.tables as { name: string, foreign_keys: unknown[] }[]).map(table => [table.name, table.foreign_keys]))
    t.same(byName.authors, [], 'a table without foreign keys has an empty list')
    t.same(byName.editions, [])
    // SQLite lists a table's constraints last declared first.
    t.same(byName.books, [
      { from: ['edition_lang', 'edition_isbn'], table: 'editions', to: ['lang', 'isbn'] },
      { from: ['sequel_of'], table: 'books', to: ['id'] },
      { from: ['co_author'], table: 'authors', to: ['id'] },
      { from: ['author_id'], table: 'authors', to: ['id'] }
    ], 'named columns, the primary key (in key order) when none are named, several columns, a table referring to itself')
    t.same(byName.notes, [{ from: ['about'], table: 'missing', to: ['x'] }], 'a reference to a table that does not exist is read as written')
    t.same(body.tables.find((table: { name: string }) => table.name === 'editions').columns.map((column: { primary_key: boolean }) => column.primary_key), [true, true],
      'the existing fields are unchanged')
  })

  t.test('health says ok or not, nothing more', async t => {
    t.same((await call('GET', '/healthz')).body, { status: 'ok', cache: 'ok' })
  })

  t.test('a run whose worker dies gets a clear 503; the others and the next are served', async t => {
    const pool = (runner.app as { runs: { pool: ExecutionPool } }).runs.pool
    const busy = (n: number) => `WITH RECURSIVE c(x) AS (SELECT ${n} UNION ALL SELECT x+1 FROM c LIMIT 100000) SELECT count(*) FROM c`
    const crash = pool.crashWorkerForTest('exit').then(() => null, (error: Error) => error)
    const others = await Promise.all(Array.from({ length: 4 }, (_, i) => call('POST', '/runs', { database: shop, query: busy(i + 1) })))
    t.match(await crash, { status: 503, message: 'the SQL runner stopped unexpectedly; please try again' })
    t.same(others.map(response => response.status), [200, 200, 200, 200], 'the other requests succeed')
    t.equal((await call('POST', '/runs', { database: shop, query: 'SELECT 42' })).status, 200, 'the next request is served')
  })
})
