// Grading table: a reference answer and a student's query run on the same
// small database with the real engine, compared under a question's grading
// settings. Ties under ORDER BY, sort keys however they are written, NULLs
// where SQLite sorts them, tolerance rules, column names.
import t from 'tap'
import { compareWith, defaultGradingSettings, rulesFor, type GradingSettings } from '../../services/dbrunner/lib/grading.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'

await loadEngine()
const image = buildImage(`
  CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL, stock INTEGER);
  INSERT INTO p VALUES
    (1, 'Cable', 'misc', 10, 5), (2, 'Mouse', 'tech', 20, 5), (3, 'Pad', 'tech', 20, 1),
    (4, 'Lamp', 'home', NULL, 2), (5, 'Desk', 'home', 150, 2), (6, 'Bag', 'misc', 10, 7);`)

function verdict (answer: string, query: string, settings: Partial<GradingSettings> = {}) {
  const expected = runQuery(image, answer)
  const actual = runQuery(image, query)
  return compareWith(expected, actual, rulesFor(answer, expected.header, { ...defaultGradingSettings, ...settings }))
}

type Assert = Pick<typeof t, 'same' | 'match'>

const same = (t: Assert, answer: string, query: string, settings: Partial<GradingSettings> = {}, message = query) =>
  t.same(verdict(answer, query, settings), { same: true }, message)
const differs = (t: Assert, answer: string, query: string, reason: string, settings: Partial<GradingSettings> = {}, message = query) =>
  t.match(verdict(answer, query, settings), { same: false, reason }, message)

t.test('rows that tie on every sort key may come in any order', async t => {
  const answer = 'SELECT name, price FROM p WHERE price IS NOT NULL ORDER BY price'
  same(t, answer, 'SELECT name, price FROM p WHERE price IS NOT NULL ORDER BY price, name DESC', {}, 'ties in the other order')
  same(t, answer, 'SELECT name, price FROM p WHERE price IS NOT NULL ORDER BY price, id DESC')
  differs(t, answer, 'SELECT name, price FROM p WHERE price IS NOT NULL ORDER BY price DESC', 'order differs', {}, 'but the keys must be in order')
  differs(t, answer, 'SELECT name, price FROM p WHERE price IS NOT NULL', 'order differs', {}, 'an unordered result in table order is not sorted')
})

t.test('several keys, directions, and keys by name, alias, position or expression as selected', async t => {
  const answer = 'SELECT category, name, price FROM p WHERE price IS NOT NULL ORDER BY category, price DESC'
  same(t, answer, 'SELECT category, name, price FROM p WHERE price IS NOT NULL ORDER BY category ASC, price DESC, name')
  same(t, answer, 'SELECT category, name, price FROM p WHERE price IS NOT NULL ORDER BY 1, 3 DESC, id DESC')
  differs(t, answer, 'SELECT category, name, price FROM p WHERE price IS NOT NULL ORDER BY category DESC, price DESC', 'order differs')
  same(t, 'SELECT category AS c, sum(stock) AS total FROM p GROUP BY c ORDER BY total DESC', 'SELECT category, sum(stock) FROM p GROUP BY 1 ORDER BY 2 DESC, 1 DESC', {}, 'by alias in the answer')
  same(t, 'SELECT name, stock FROM p ORDER BY 2', 'SELECT name, stock FROM p ORDER BY stock, name DESC', {}, 'by position in the answer')
  same(t, 'SELECT q.name, q.stock FROM p AS q ORDER BY q.stock', 'SELECT name, stock FROM p ORDER BY stock, id DESC', {}, 'by a qualified name')
  same(t, 'SELECT name, stock * 2 FROM p ORDER BY stock * 2', 'SELECT name, stock * 2 AS s FROM p ORDER BY s, name DESC', {}, 'by an expression that is selected')
})

t.test('NULLs sort where SQLite puts them (first ascending, last descending) unless the answer says otherwise', async t => {
  const answer = 'SELECT name, price FROM p ORDER BY price'
  same(t, answer, 'SELECT name, price FROM p ORDER BY price IS NOT NULL, price, name DESC')
  differs(t, answer, 'SELECT name, price FROM p ORDER BY price NULLS LAST', 'order differs')
  same(t, 'SELECT name, price FROM p ORDER BY price DESC', 'SELECT name, price FROM p ORDER BY price IS NULL, price DESC, name')
  same(t, 'SELECT name, price FROM p ORDER BY price NULLS LAST', 'SELECT name, price FROM p ORDER BY price IS NULL, price, name DESC')
})

t.test('a key that is not a result column: the exact sequence (the self-test warns the teacher)', async t => {
  const answer = 'SELECT name FROM p ORDER BY stock'
  t.same(rulesFor(answer, ['name']).order, { kind: 'sequence' })
  same(t, answer, 'SELECT name FROM p ORDER BY stock')
  differs(t, answer, 'SELECT name FROM p ORDER BY stock, name DESC', 'order differs', {}, 'ties of a hidden key are not recognised')
})

t.test('row_order any and strict', async t => {
  same(t, 'SELECT name FROM p ORDER BY name', 'SELECT name FROM p ORDER BY name DESC', { row_order: 'any' })
  differs(t, 'SELECT name FROM p', 'SELECT name FROM p ORDER BY name DESC', 'order differs', { row_order: 'strict' }, 'strict: the sequence, even without ORDER BY')
  differs(t, 'SELECT name, price FROM p WHERE price = 20 ORDER BY price', 'SELECT name, price FROM p WHERE price = 20 ORDER BY price, name DESC', 'order differs', { row_order: 'strict' }, 'strict: ties too')
})

t.test('numeric tolerance', async t => {
  differs(t, 'SELECT avg(price) FROM p WHERE price = 20', 'SELECT 20', 'values differ', {}, 'default: 20.0 is not 20')
  same(t, 'SELECT avg(price) FROM p WHERE price = 20', 'SELECT 20', { numeric_tolerance: 0 }, 'tolerance 0: an integral REAL equals the integer')
  differs(t, 'SELECT 10.0 / 3', 'SELECT 3.33', 'values differ', { numeric_tolerance: 0 })
  same(t, 'SELECT 10.0 / 3', 'SELECT 3.33', { numeric_tolerance: 0.01 })
  differs(t, 'SELECT 10.0 / 3', 'SELECT 3.35', 'values differ', { numeric_tolerance: 0.01 })
  same(t, 'SELECT name, price FROM p WHERE price IS NOT NULL ORDER BY price', 'SELECT name, price + 0.001 FROM p WHERE price IS NOT NULL ORDER BY price, name DESC', { numeric_tolerance: 0.01 }, 'within tolerance, in the keys too')
  differs(t, 'SELECT \'9\'', 'SELECT \'9.0x\'', 'values differ', { numeric_tolerance: 1 }, 'text that is not a number compares exactly')
  differs(t, 'SELECT NULL', 'SELECT 0', 'values differ', { numeric_tolerance: 1 }, 'NULL is never a number')
  differs(t, 'SELECT NULL', "SELECT 'NULL'", 'values differ', { numeric_tolerance: 1 }, 'nor the text NULL')
})

t.test('column names', async t => {
  same(t, 'SELECT name, stock FROM p', 'SELECT name AS n, stock AS s FROM p', {}, 'ignored by default')
  differs(t, 'SELECT name, stock FROM p', 'SELECT name AS n, stock FROM p', 'columns differ', { column_names: 'match' })
  same(t, 'SELECT name, stock FROM p', 'SELECT NAME, Stock FROM p', { column_names: 'match' }, 'case-insensitive')
})

t.test('the defaults keep the earlier verdicts', async t => {
  differs(t, 'SELECT name FROM p ORDER BY id', 'SELECT name FROM p ORDER BY id DESC', 'order differs')
  same(t, 'SELECT name FROM p', 'SELECT name FROM p ORDER BY id DESC', {}, 'no ORDER BY in the answer: any order')
  differs(t, 'SELECT name FROM p', 'SELECT name FROM p LIMIT 5', 'row count differs')
  differs(t, 'SELECT name, stock FROM p', 'SELECT name FROM p', 'columns differ')
})
