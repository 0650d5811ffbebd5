// Self-tested questions and their quality report, through the questions
// service with the real runner: refusals that say why, the mutation score,
// proposed datasets that raise it, and a question never without hidden data.
import t from 'tap'
import { withClient } from '../helpers/database.ts'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('quality of questions', async t => {
  const { questions, databaseUrl } = await startQuestionsWithRunner(t)
  const teacher = { 'x-playground-user': 'teacher' }
  const question = (answer: string, more: object = {}) => ({ schema_id: 'shop', type: 'filtering', difficulty: 'easy', title: `Q ${answer.slice(0, 40)} ${Math.random()}`, description: 'd', answer, ...more })

  t.test('a LIMIT without an order that decides the rows is refused, with why', async t => {
    const refused = await questions.call('POST', '/questions', question('SELECT name FROM products LIMIT 3'), teacher)
    t.equal(refused.status, 400)
    t.match(refused.body.message, /^answer: the reference answer is not deterministic: on the schema with rows .* it gives other rows/)
    t.match(refused.body.message, /LIMIT/)
    const random = await questions.call('POST', '/questions', question('SELECT name FROM products ORDER BY random()'), teacher)
    t.match(random, { status: 400, body: { message: /not deterministic/ } }, 'random() too')
  })

  t.test('a deterministic answer is accepted with its report; without hidden data it gets a generated dataset', async t => {
    const created = await questions.call('POST', '/questions', question("SELECT name, price FROM products WHERE category = 'electronics' AND price < 100 ORDER BY price"), teacher)
    t.equal(created.status, 201, created.raw)
    t.match(created.body.quality, { deterministic: true, datasets: 1, mutants: { total: Number, killed: Number, survived: Number, score: Number } })
    t.ok(created.body.quality.mutants.total > 0, `mutants: ${JSON.stringify(created.body.quality.mutants)}`)
    const attached = await withClient(databaseUrl, client => client.query('SELECT initial_sql FROM hidden_datasets WHERE question_id = $1', [created.body.id]))
    t.equal(attached.rowCount, 1, 'the best generated dataset was attached')
    t.match(attached.rows[0].initial_sql, /CREATE TABLE/)

    const report = await questions.call('GET', `/questions/${created.body.id}/quality`, undefined, teacher)
    t.same(report.body, created.body.quality, 'the report, asked again, is the same')
  })

  t.test('row order any accepts an unordered LIMIT only when the rows it picks are stable', async t => {
    const tiesAtTheLimit = await questions.call('POST', '/questions', question('SELECT name FROM products LIMIT 3', { grading: { row_order: 'any' } }), teacher)
    t.equal(tiesAtTheLimit.status, 400, 'other rows, not just another order')
    const allRows = await questions.call('POST', '/questions', question('SELECT category FROM products GROUP BY category', { grading: { row_order: 'any' } }), teacher)
    t.equal(allRows.status, 201, allRows.raw)
  })

  t.test('proposed datasets raise the score of thin data; each says what it kills', async t => {
    await withClient(databaseUrl, client => client.query('DELETE FROM hidden_datasets WHERE question_id = 1'))
    const before = (await questions.call('GET', '/questions/1/quality', undefined, teacher)).body
    t.ok(before.mutants.survived > 0, `survivors on the visible data alone: ${before.survivors.map((s: { query: string }) => s.query).join(' | ')}`)
    const proposed = await questions.call('POST', '/questions/1/datasets/generate', undefined, teacher)
    t.equal(proposed.status, 200, proposed.raw)
    t.ok(proposed.body.datasets.length >= 1 && proposed.body.datasets.length <= 5)
    for (const dataset of proposed.body.datasets) {
      t.ok(dataset.kills.length > 0, 'each kills something')
      const rows = [...dataset.initial_sql.matchAll(/INSERT INTO/g)].length
      t.ok(rows > 0, 'and has rows')
    }
    t.equal((await withClient(databaseUrl, client => client.query('SELECT 1 FROM hidden_datasets WHERE question_id = 1'))).rowCount, 0, 'nothing is attached by itself')
    let after = before
    for (const dataset of proposed.body.datasets) {
      const attached = await questions.call('POST', '/questions/1/datasets', { initial_sql: dataset.initial_sql }, teacher)
      t.equal(attached.status, 201, attached.raw)
      after = attached.body.quality
    }
    t.ok(after.mutants.score > before.mutants.score, `the score rises: ${before.mutants.score} -> ${after.mutants.score}`)
    t.equal(after.datasets, proposed.body.datasets.length)
  })

  t.test('survivors a teacher judges equivalent leave the score, with their reason; students never see them', async t => {
    // Question 9 (loans per member) on its visible data alone, without the
    // seeds' judgements: every join mutant of a NOT NULL foreign key survives.
    await withClient(databaseUrl, client => client.query('DELETE FROM hidden_datasets WHERE question_id = 9'))
    const before = (await questions.call('PATCH', '/questions/9', { equivalent_mutants: [] }, teacher)).body.quality
    t.equal(before.mutants.equivalent, 0)
    const [first, second] = before.survivors as { operator: string, query: string }[]
    t.ok(first !== undefined && second !== undefined, 'two survivors to judge')
    // Spacing and keyword case do not matter when matching a judgement.
    const judged = [{ query: first!.query.replace('SELECT', 'select').replace(' FROM ', '\n  from ').replaceAll(' ', '  '), reason: 'the same rows on any data the constraints allow' }]
    const saved = await questions.call('PATCH', '/questions/9', { equivalent_mutants: judged }, teacher)
    t.equal(saved.status, 200, saved.raw)
    t.same(saved.body.equivalent_mutants, judged, 'the judgement is stored as given')
    t.same(saved.body.quality.equivalent, [{ ...first, reason: judged[0]!.reason }], 'the report lists it with its reason')
    t.notOk(saved.body.quality.survivors.some((survivor: { query: string }) => survivor.query === first!.query), 'and no longer among the survivors')
    t.equal(saved.body.quality.mutants.equivalent, 1)
    t.equal(saved.body.quality.mutants.survived, before.mutants.survived - 1)
    const { total, killed } = before.mutants
    t.equal(saved.body.quality.mutants.score, Math.round(killed / (total - 1) * 1000) / 1000, 'the score counts the other mutants only')
    t.same((await questions.call('GET', '/questions/9/quality', undefined, teacher)).body, saved.body.quality, 'asked again, the same')

    const student = await questions.call('GET', '/questions/9', undefined, { 'x-playground-user': 'student' })
    t.equal(student.status, 200)
    t.notOk('equivalent_mutants' in student.body, 'a student does not see the judged mutants (they are near the answer)')

    const bad = await questions.call('PATCH', '/questions/9', { equivalent_mutants: [{ query: second!.query }] }, teacher)
    t.equal(bad.status, 400, 'a judgement needs a reason')
    t.match(bad.body.message, /reason/)
    const cleared = await questions.call('PATCH', '/questions/9', { equivalent_mutants: [] }, teacher)
    t.same(cleared.body.quality.equivalent, [])
    t.same(cleared.body.quality.mutants, before.mutants, 'cleared: the score as before')
  })

  t.test('a dataset that breaks the answer is refused, naming it', async t => {
    const broken = await questions.call('POST', '/questions/2/datasets', { initial_sql: 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT, city TEXT); CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price TEXT); CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, ordered_at TEXT, status TEXT); CREATE TABLE order_items (order_id INTEGER, product_id INTEGER, quantity INTEGER)' }, teacher)
    t.equal(broken.status, 400, broken.raw)
  })
})
