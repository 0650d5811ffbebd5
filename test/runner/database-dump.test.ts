import t from 'tap'
import { dumpDatabase, readSchema, readTableRows, rowsToSql } from '../../services/dbrunner/lib/database-dump.ts'
import type { QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import { runSql } from './in-process-sql.ts'
import { seedSchemaSql } from '../../lib/seed.ts'

const seed = seedSchemaSql
const seeds = ['shop', 'library', 'school'].map(id => ({ id, sql: seed(id) }))

// Everything a dump must keep: odd names, AUTOINCREMENT with a gap, a
// generated column, WITHOUT ROWID, STRICT, hidden rowids with gaps, a column
// named rowid, values of every type in untyped columns, an index, a view, a
// trigger that must not fire while the dump's rows go in, user_version.
const TRICKY = `
CREATE TABLE "odd ""name""" (id INTEGER PRIMARY KEY AUTOINCREMENT, x REAL, y TEXT UNIQUE, z BLOB,
  g INT GENERATED ALWAYS AS (id * 2) VIRTUAL, n NUMERIC DEFAULT 5);
CREATE INDEX odd_x ON "odd ""name"""(x);
CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE pairs (a INT REFERENCES "odd ""name""", b INT, rowid INT, PRIMARY KEY (a, b));
CREATE TABLE loose (x, y);
CREATE TABLE strict_one (a INTEGER, b TEXT) STRICT;
INSERT INTO "odd ""name""" (x, y, z) VALUES (0.1 + 0.2, 'it''s', x'00ff'), (1e300, NULL, NULL), (-1.5e-7, 'é ☃ 😀', x''), (2, 'two', NULL), (1e300, 'big', NULL);
DELETE FROM "odd ""name""" WHERE id IN (2, 5);
INSERT INTO kv VALUES ('b', 1), ('a', 'text'), ('c', NULL), ('d', 1.0), ('e', x'01'), ('f', '');
INSERT INTO pairs VALUES (1, 1, 7), (3, 2, 9), (4, 3, NULL);
INSERT INTO loose VALUES (1, 'a'), (2, 'b'), (3, 'c'), ('4', 4.0), (NULL, NULL), (9223372036854775807, -0.0);
DELETE FROM loose WHERE x = 2;
INSERT INTO strict_one VALUES (1, 'x'), (NULL, NULL);
CREATE VIEW odd_view AS SELECT id, y FROM "odd ""name""";
CREATE TRIGGER loose_log AFTER INSERT ON loose BEGIN INSERT INTO kv VALUES ('log' || new.x, new.y); END;
PRAGMA user_version = 42;
`

async function run (database: string, query: string): Promise<QueryResult> {
  const result = await runSql(database, query)
  if ('error' in result) throw new Error(result.error)
  return result
}

/** Everything observable of a database: catalogue, every row (with its rowid) in storage order, counters. */
async function snapshot (database: string) {
  const schema = await readSchema(runSql, database)
  const tables: Record<string, QueryResult> = {}
  for (const table of schema.tables) {
    const cells = table.columns.map(column => `quote("${column.name.replace(/"/g, '""')}")`)
    if (table.rowidName !== null) cells.unshift(`"${table.rowidName}"`)
    tables[table.name] = await run(database, `SELECT ${cells.join(', ')} FROM "${table.name.replace(/"/g, '""')}"`)
  }
  return {
    catalogue: await run(database, 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid'),
    tables,
    sequence: schema.sequences.size > 0 ? await run(database, 'SELECT name, seq FROM sqlite_sequence') : null,
    userVersion: await run(database, 'PRAGMA user_version')
  }
}

const multiset = (rows: (string | null)[][]) => rows.map(row => JSON.stringify(row)).sort()

t.test('readSchema reads tables in creation order with columns, keys and foreign keys', async t => {
  const schema = await readSchema(runSql, seed('shop'))
  t.same(schema.tables.map(table => table.name), ['customers', 'products', 'orders', 'order_items'])
  const products = schema.tables[1]
  t.same(products.columns.map(c => [c.name, c.type, c.notNull, c.default, c.primaryKey]), [
    ['id', 'INTEGER', false, null, 1], ['name', 'TEXT', true, null, 0], ['category', 'TEXT', true, null, 0],
    ['price', 'REAL', true, null, 0], ['stock', 'INTEGER', true, '0', 0]
  ])
  t.equal(products.rowidAlias, 'id')
  t.match(products.sql, /^CREATE TABLE products \(/)
  t.same(schema.tables[0].uniques.map(u => [u.columns, u.origin]), [[['email'], 'u']])
  const items = schema.tables[3]
  t.equal(items.rowidAlias, null, 'a composite key is not the rowid')
  t.same(items.columns.map(c => c.primaryKey), [1, 2, 0])
  t.same(items.uniques.map(u => [u.columns, u.origin]), [[['order_id', 'product_id'], 'pk']])
  t.same(items.foreignKeys.map(k => [k.table, k.from, k.to]), [['products', ['product_id'], ['id']], ['orders', ['order_id'], ['id']]])

  const tricky = await readSchema(runSql, TRICKY)
  t.same(tricky.tables.map(table => table.name), ['odd "name"', 'kv', 'pairs', 'loose', 'strict_one'])
  t.same(tricky.indexes.map(i => i.name), ['odd_x'])
  t.same(tricky.views.map(v => [v.name, v.sql]), [['odd_view', 'CREATE VIEW odd_view AS SELECT id, y FROM "odd ""name"""']])
  t.same(tricky.triggers.map(v => [v.name, v.table]), [['loose_log', 'loose']])
  t.ok(tricky.tables[0].columns.find(c => c.name === 'g')?.generated)
  t.ok(tricky.tables[1].withoutRowid)
  t.equal(tricky.tables[2].rowidName, '_rowid_', 'a column named rowid leaves _rowid_')
  t.same(tricky.tables[2].foreignKeys.map(k => k.to), [[null]], 'a key to the parent\'s primary key names no column')
  t.equal(tricky.userVersion, 42)
  t.same([...tricky.sequences], [['odd "name"', 5]])
})

for (const { id, sql } of [...seeds, { id: 'tricky', sql: TRICKY }]) {
  t.test(`the dump of ${id} rebuilds the same database`, async t => {
    const dump = await dumpDatabase(runSql, sql, { order: 'original' })
    t.same(await snapshot(dump), await snapshot(sql))
    t.equal(await dumpDatabase(runSql, dump, { order: 'original' }), dump, 'dumping the rebuilt database gives the same text')
  })
}

t.test('reals, big integers, text and blobs keep their exact values and types', async t => {
  const dump = await dumpDatabase(runSql, TRICKY, { order: 'original' })
  const types = 'SELECT typeof(x), quote(x), typeof(y), quote(y) FROM loose ORDER BY rowid'
  t.same(await run(dump, types), await run(TRICKY, types))
  t.same((await run(dump, 'SELECT x FROM "odd ""name""" ORDER BY id')).rows, [['0.30000000000000004'], ['-1.5e-07'], ['2.0']])
  t.same((await run(dump, 'SELECT count(*) FROM kv WHERE k LIKE \'log%\'')).rows, [['0']], 'the trigger did not fire')
  t.same((await run(dump, 'SELECT rowid, x FROM loose ORDER BY rowid')).rows.map(row => row[0]), ['1', '3', '4', '5', '6'], 'rowids with a gap are kept')
})

for (const { id, sql } of seeds) {
  t.test(`reversed and shuffled dumps of ${id} hold the same rows in another order`, async t => {
    const schema = await readSchema(runSql, sql)
    const reverse = await dumpDatabase(runSql, sql, { order: 'reverse' })
    const shuffle = await dumpDatabase(runSql, sql, { order: 'shuffle', seed: 7 })
    t.equal(await dumpDatabase(runSql, sql, { order: 'shuffle', seed: 7 }), shuffle, 'the same seed gives the same order')
    t.not(await dumpDatabase(runSql, sql, { order: 'shuffle', seed: 8 }), shuffle, 'another seed gives another order')
    let shuffledTables = 0
    for (const table of schema.tables) {
      const original = (await readTableRows(runSql, sql, table)).rows
      const reversed = (await readTableRows(runSql, reverse, table)).rows
      const shuffled = (await readTableRows(runSql, shuffle, table)).rows
      t.same(multiset(reversed), multiset(original), `${table.name}: same rows reversed`)
      t.same(multiset(shuffled), multiset(original), `${table.name}: same rows shuffled`)
      // The INSERTs list the rows in the new order; a table keyed by its rowid
      // is still stored by key, any other rowid table in insertion order.
      const inserted = (dump: string) => dump.slice(dump.indexOf(`INSERT INTO "${table.name}"`)).split(';')[0].split('\n').slice(1).map(line => line.trim().replace(/,$/, ''))
      t.same(inserted(reverse), original.map(row => `(${row.join(', ')})`).reverse(), `${table.name}: inserted in reverse`)
      if (JSON.stringify(inserted(shuffle)) !== JSON.stringify(original.map(row => `(${row.join(', ')})`))) shuffledTables++
      if (table.rowidAlias === null) t.same(reversed, [...original].reverse(), `${table.name}: stored in reverse`)
    }
    t.ok(shuffledTables >= schema.tables.length - 1, 'the shuffle reorders the tables')
  })
}

t.test('tables beyond one result (rows or bytes) are read in pages', async t => {
  const sql = `CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
    INSERT INTO big SELECT i, printf('%.*c', 2500 + i % 7, 'x') FROM n;`
  const dump = await dumpDatabase(runSql, sql, { order: 'original' })
  t.same(await run(dump, 'SELECT count(*), sum(length(body)), max(id) FROM big'), await run(sql, 'SELECT count(*), sum(length(body)), max(id) FROM big'))
})

t.test('rowsToSql writes the given rows into the schema, other tables empty', async t => {
  const schema = await readSchema(runSql, seed('school'))
  const teachers = [['1', "'Dr. O''Hara'", "'Physics'", "'2020-01-01'"], ['2', "'Ms. Lind'", "'History'", "'2019-09-01'"]]
  const courses = [['5', "'PH101'", "'Mechanics'", '1', '4'], ['6', "'HI150'", "'History'", 'NULL', '3']]
  for (const rows of [new Map([['teachers', teachers], ['courses', courses]]), { teachers, courses }]) {
    const sql = rowsToSql(schema, rows)
    t.same((await readTableRows(runSql, sql, schema.tables[0])).rows, teachers)
    t.same((await readTableRows(runSql, sql, schema.tables[1])).rows, courses)
    t.same((await run(sql, 'SELECT (SELECT count(*) FROM students), (SELECT count(*) FROM enrollments)')).rows, [['0', '0']])
  }
  const tricky = await readSchema(runSql, TRICKY)
  const sql = rowsToSql(tricky, { loose: [["'a'", '1.5']] })
  t.same((await run(sql, 'SELECT name FROM sqlite_master WHERE type IN (\'view\', \'trigger\', \'index\') AND sql IS NOT NULL ORDER BY name')).rows, [['loose_log'], ['odd_view'], ['odd_x']])
  t.same((await run(sql, 'SELECT count(*) FROM kv')).rows, [['0']], 'the trigger did not fire')
})
