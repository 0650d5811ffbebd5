// POST /schemas/{id}/preview: a teacher's draft query run on a saved schema
// through the real runner, with the result or the engine's message, and the
// structure of a schema with its foreign keys (what the page's diagram draws).
import t from 'tap'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('previews of draft queries on a schema', async t => {
  const { questions } = await startQuestionsWithRunner(t)
  const call = (method: string, url: string, body?: unknown) => questions.call(method, url, body, { 'x-playground-user': 'preview-teacher' })

  t.test('the result of a query on the schema, nothing recorded', async t => {
    const preview = await call('POST', '/schemas/shop/preview', { query: "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100 ORDER BY price" })
    t.equal(preview.status, 200)
    t.same(preview.body, { header: ['name', 'price'], rows: [['Keyboard', '49.5'], ['Headphones', '79.9']] })
    const nulls = await call('POST', '/schemas/shop/preview', { query: 'SELECT NULL AS missing, 9.0 AS real' })
    t.same(nulls.body, { header: ['missing', 'real'], rows: [[null, '9.0']] }, 'values as SQLite prints them; NULL is null')
    t.same((await call('GET', '/me/submissions')).body, [], 'a preview is no submission')
  })

  t.test('failures: the engine message, a missing schema, an empty query', async t => {
    t.match(await call('POST', '/schemas/shop/preview', { query: 'SELECT nope FROM products' }), { status: 422, body: { message: 'no such column: nope' } })
    t.match(await call('POST', '/schemas/shop/preview', { query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c' }),
      { status: 422, body: { message: /^query timeout/ } })
    t.match(await call('POST', '/schemas/nope/preview', { query: 'SELECT 1' }), { status: 404, body: { message: 'schema nope does not exist' } })
    t.match(await call('POST', '/schemas/shop/preview', { query: '   ' }), { status: 400, body: { message: 'query: must not be empty' } })
    t.match(await call('POST', '/schemas/shop/preview', {}), { status: 400, body: { message: 'query: is required' } })
    t.match(await call('POST', '/schemas/shop/preview', { query: ['SELECT 1'] }), { status: 400, body: { message: /^query: / } }, 'no type coercion')
  })

  t.test('the structure of a schema names its foreign keys', async t => {
    const structure = await call('GET', '/schemas/shop/structure')
    t.equal(structure.status, 200)
    const tables = Object.fromEntries((structure.body.tables as { name: string, foreign_keys: unknown }[]).map(table => [table.name, table.foreign_keys]))
    t.same(tables.customers, [])
    t.same(tables.orders, [{ from: ['customer_id'], table: 'customers', to: ['id'] }])
    t.same(tables.order_items, [
      { from: ['product_id'], table: 'products', to: ['id'] },
      { from: ['order_id'], table: 'orders', to: ['id'] }
    ])
  })
})
