// A question's grading settings through the questions service: set by a
// teacher, shown to students, and used when their answers are compared.
import t from 'tap'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('grading settings', async t => {
  const { questions } = await startQuestionsWithRunner(t)
  const teacher = { 'x-playground-user': 'teacher' }
  const student = { 'x-playground-user': 'student' }
  const base = { schema_id: 'shop', type: 'aggregation', difficulty: 'easy', title: 'A third of the electronics', description: 'One number.', answer: "SELECT sum(price) / 3.0 FROM products WHERE category = 'electronics'" }

  const created = await questions.call('POST', '/questions', base, teacher)
  t.equal(created.status, 201, created.raw)
  t.same(created.body.grading, { row_order: 'auto', column_names: 'ignore', numeric_tolerance: null }, 'the defaults')
  const id = created.body.id
  t.same((await questions.call('GET', `/questions/${id}`, undefined, student)).body.grading, created.body.grading, 'students see the rules')
  t.notOk('grading' in (await questions.call('GET', '/questions?limit=100', undefined, student)).body[0], 'the list keeps its shape')

  const average = (await questions.call('GET', `/challenges/${(await questions.call('POST', '/challenges', { questionID: id, query: base.answer }, student)).body.challengeID}`, undefined, student)).body.rows[0][0]
  const rounded = String(Math.round(Number(average) * 100) / 100)
  t.not(rounded, average, 'the reference gives more decimals than the rounded query')
  const compare = async () => {
    const run = await questions.call('POST', '/challenges', { questionID: id, query: "SELECT round(sum(price) / 3.0, 2) FROM products WHERE category = 'electronics'" }, student)
    return (await questions.call('GET', `/challenges/${run.body.challengeID}/compare`, undefined, student)).body
  }
  t.match(await compare(), { same: false, reason: 'values differ', hint: /values differ/i }, `exact by default (${average} vs ${rounded})`)

  const changed = await questions.call('PATCH', `/questions/${id}`, { grading: { numeric_tolerance: 0.01 } }, teacher)
  t.equal(changed.status, 200, changed.raw)
  t.same(changed.body.grading, { row_order: 'auto', column_names: 'ignore', numeric_tolerance: 0.01 }, 'a change sets only what it names')
  t.match(await compare(), { same: true }, 'within the tolerance')

  t.equal((await questions.call('PATCH', `/questions/${id}`, { grading: { row_order: 'sideways' } }, teacher)).status, 400)
  t.match(await questions.call('PATCH', `/questions/${id}`, { grading: { numeric_tolerance: -1 } }, teacher), { status: 400, body: { message: /numeric_tolerance/ } })
  t.match(await questions.call('PATCH', `/questions/${id}`, { grading: { numeric_tolerance: '0.1' } }, teacher), { status: 400, body: { message: /numeric_tolerance/ } }, 'no coercion')
  t.equal((await questions.call('PATCH', `/questions/${id}`, { grading: { row_order: 'strict', column_names: 'match', numeric_tolerance: null } }, teacher)).body.grading.row_order, 'strict')
})
