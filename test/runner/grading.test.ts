import t from 'tap'
import { compareResults as compareWithHint, hasOuterOrderBy, verdictHints } from '../../services/dbrunner/lib/grading.ts'
import type { Cell, QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'

const result = (header: string[], rows: Cell[][]): QueryResult => ({ header, rows })

// Every verdict that differs carries its reason's hint; the tables below are
// about the rest.
function compareResults (...args: Parameters<typeof compareWithHint>) {
  const { hint, ...verdict } = compareWithHint(...args)
  if (verdict.reason !== undefined && hint !== verdictHints[verdict.reason]) throw new Error(`no hint for ${verdict.reason}`)
  return verdict
}
const unordered = { ordered: false }
const ordered = { ordered: true }

t.test('columns are compared by position and count, not by name', async t => {
  const expected = result(['name', 'total'], [['a', '1']])
  t.same(compareResults(expected, result(['n', 'sum(x)'], [['a', '1']]), unordered), { same: true })
  t.same(compareResults(expected, result(['name'], [['a']]), unordered), { same: false, reason: 'columns differ' })
  t.same(compareResults(expected, result(['name', 'total', 'extra'], [['a', '1', 'x']]), ordered), { same: false, reason: 'columns differ' })
  // Same names in the other order are different columns.
  t.same(compareResults(expected, result(['total', 'name'], [['1', 'a']]), unordered),
    { same: false, reason: 'values differ', expected_row: ['a', '1'], actual_row: ['1', 'a'] })
})

t.test('without ORDER BY in the answer, row order is free', async t => {
  const expected = result(['x'], [['1'], ['2'], ['3']])
  t.same(compareResults(expected, result(['x'], [['3'], ['1'], ['2']]), unordered), { same: true })
})

t.test('with ORDER BY in the answer, order matters', async t => {
  const expected = result(['x'], [['1'], ['2'], ['3']])
  t.same(compareResults(expected, result(['x'], [['1'], ['2'], ['3']]), ordered), { same: true })
  t.same(compareResults(expected, result(['x'], [['1'], ['3'], ['2']]), ordered),
    { same: false, reason: 'order differs', expected_row: ['2'], actual_row: ['3'] })
})

t.test('duplicates count', async t => {
  const expected = result(['x'], [['a'], ['a'], ['b']])
  t.same(compareResults(expected, result(['x'], [['a'], ['b'], ['a']]), unordered), { same: true })
  t.same(compareResults(expected, result(['x'], [['a'], ['b'], ['b']]), unordered),
    { same: false, reason: 'values differ', expected_row: ['a'], actual_row: ['b'] })
  t.same(compareResults(expected, result(['x'], [['a'], ['b']]), unordered),
    { same: false, reason: 'row count differs', expected_row: ['a'], actual_row: null })
})

t.test('NULL equals NULL; the text "NULL" is not NULL', async t => {
  const expected = result(['x', 'y'], [[null, '1'], ['a', null]])
  t.same(compareResults(expected, result(['x', 'y'], [['a', null], [null, '1']]), unordered), { same: true })
  t.same(compareResults(expected, result(['x', 'y'], [['NULL', '1'], ['a', null]]), unordered),
    { same: false, reason: 'values differ', expected_row: [null, '1'], actual_row: ['NULL', '1'] })
  t.same(compareResults(result(['x'], [['']]), result(['x'], [[null]]), unordered),
    { same: false, reason: 'values differ', expected_row: [''], actual_row: [null] })
})

t.test('values are compared as the exact text', async t => {
  t.same(compareResults(result(['x'], [['1']]), result(['x'], [['1.0']]), unordered).reason, 'values differ')
  t.same(compareResults(result(['x'], [['Laptop']]), result(['x'], [['laptop']]), unordered).reason, 'values differ')
})

t.test('row count and the first differing rows', async t => {
  const expected = result(['x'], [['1'], ['2'], ['3']])
  t.same(compareResults(expected, result(['x'], [['1'], ['2']]), ordered),
    { same: false, reason: 'row count differs', expected_row: ['3'], actual_row: null })
  t.same(compareResults(expected, result(['x'], [['1'], ['2'], ['3'], ['4']]), unordered),
    { same: false, reason: 'row count differs', expected_row: null, actual_row: ['4'] })
  t.same(compareResults(expected, result(['x'], []), unordered),
    { same: false, reason: 'row count differs', expected_row: ['1'], actual_row: null })
  // Unordered: the first row of each side without a partner on the other side.
  t.same(compareResults(expected, result(['x'], [['3'], ['9'], ['1']]), unordered),
    { same: false, reason: 'values differ', expected_row: ['2'], actual_row: ['9'] })
  // Ordered: the first position where the two differ.
  t.same(compareResults(expected, result(['x'], [['1'], ['9'], ['3']]), ordered),
    { same: false, reason: 'values differ', expected_row: ['2'], actual_row: ['9'] })
  t.same(compareResults(result(['x'], []), result(['x'], []), ordered), { same: true })
  t.same(compareResults(result([], []), result([], []), unordered), { same: true })
})

t.test('hasOuterOrderBy', async t => {
  const yes = [
    'SELECT * FROM t ORDER BY x',
    'select * from t order by x desc limit 3',
    'SELECT a FROM t UNION SELECT b FROM u ORDER BY 1',
    'WITH c AS (SELECT x FROM t) SELECT x FROM c ORDER BY x',
    'SELECT * FROM (SELECT * FROM t) AS s ORDER\n  BY s.x',
    'UPDATE t SET x = 1; SELECT x FROM t ORDER BY x;',
    'SELECT * FROM t ORDER /* c */ BY x',
    'SELECT 1 ORDER BY 1; UPDATE t SET x = 1' // the SELECT is what produces the result
  ]
  const no = [
    'SELECT * FROM t',
    'SELECT * FROM (SELECT * FROM t ORDER BY x)',
    'WITH c AS (SELECT x FROM t ORDER BY x) SELECT x FROM c',
    'SELECT x, row_number() OVER (ORDER BY x) FROM t',
    'SELECT x FROM t WINDOW w AS (ORDER BY x)',
    'SELECT group_concat(x ORDER BY x) FROM t',
    "SELECT 'ORDER BY x' FROM t",
    'SELECT "ORDER BY" FROM t',
    'SELECT x FROM t -- ORDER BY x',
    'SELECT * FROM t ORDER BY x; SELECT * FROM t',
    'SELECT x AS "order" FROM t',
    ''
  ]
  for (const sql of yes) t.equal(hasOuterOrderBy(sql), true, sql)
  for (const sql of no) t.equal(hasOuterOrderBy(sql), false, sql)
})
