import t from 'tap'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('the questions service: student shapes, teacher writes, clear errors', async t => {
  const { questions } = await startQuestionsWithRunner(t)
  const call = (method: string, url: string, body?: unknown) => questions.call(method, url, body, { 'x-playground-user': 'routes-test' })

  t.test('listing is paged, ordered by id, snake_case, without answers', async t => {
    const first = await call('GET', '/questions')
    t.equal(first.status, 200)
    t.equal(first.body.length, 10, 'default limit 10')
    t.same(Object.keys(first.body[0]).sort(), ['created_at', 'description', 'difficulty', 'id', 'schema_id', 'title', 'type', 'updated_at'])
    t.type(first.body[0].id, 'string', 'ids are strings')
    t.ok(first.body.every((q: { id: string }, i: number, all: { id: string }[]) => i === 0 || Number(all[i - 1].id) < Number(q.id)), 'ordered by id')
    t.notMatch(first.raw, /SELECT/i, 'no reference answer in the list')
    const second = await call('GET', '/questions?limit=5&offset=10')
    t.equal(second.body.length, 5)
    t.equal(second.body[0].id, (await call('GET', '/questions?limit=100')).body[10].id, 'offset skips')
    t.equal((await call('GET', '/questions?limit=500')).body.length, 16, 'limit is capped at 100 (16 seeded)')
    t.equal((await call('GET', '/questions?limit=0')).body.length, 10, 'limit=0 is the default page size, as the original took it')
    t.match(await call('GET', '/questions?limit=-1'), { status: 400, body: { message: /limit/ } }, 'a negative limit is refused')
    t.equal((await call('GET', '/questions?limit=abc')).status, 400)
    t.match((await call('GET', '/questions?offset=-1')).body, { message: /offset/ })
  })

  t.test('one question, its solution, its full record', async t => {
    const one = await call('GET', '/questions/1')
    t.equal(one.status, 200)
    t.equal(one.body.id, '1')
    t.notOk('answer' in one.body)
    t.match(one.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO 8601 timestamps')
    t.same(Object.keys((await call('GET', '/questions/1/solution')).body).sort(), ['id', 'solution_video'])
    const anonymous = await questions.call('GET', '/questions/1/solution')
    t.equal(anonymous.status, 401, 'a solution needs a signed-in user (it costs points)')
    t.match((await call('GET', '/questions/1/full')).body, { id: '1', answer: /SELECT/ }, 'the full record has the answer')
    t.match(await call('GET', '/questions/abc'), { status: 400, body: { message: 'id: is not a valid id' } })
    t.match(await call('GET', '/questions/99999'), { status: 404, body: { message: 'question 99999 does not exist' } })
  })

  t.test('schemas', async t => {
    const list = await call('GET', '/schemas')
    t.same(list.body.map((s: { id: string }) => s.id), ['library', 'school', 'shop'])
    t.notMatch(list.raw, /CREATE TABLE/i, 'no initial SQL in the list')
    const shop = await call('GET', '/schemas/shop')
    t.same(Object.keys(shop.body).sort(), ['created_at', 'description', 'id', 'picture', 'updated_at'])
    t.match((await call('GET', '/schemas/shop/full')).body, { initial_sql: /CREATE TABLE customers/ })
    t.equal((await call('GET', '/schemas/nope')).status, 404)
  })

  t.test('teacher flow: checked on save, refused with the engine message', async t => {
    const broken = await call('POST', '/schemas', { id: 'zoo', description: 'animals', initial_sql: 'CREATE TABLE animals (name TEXT' })
    t.equal(broken.status, 400)
    t.match(broken.body.message, /^initial_sql: .*(incomplete input|syntax error)/, 'a broken initial SQL is refused with the engine message')
    t.equal((await call('GET', '/schemas/zoo')).status, 404, 'and nothing was saved')

    const created = await call('POST', '/schemas', { id: 'zoo', description: 'animals', initial_sql: "CREATE TABLE animals (name TEXT, legs INT); INSERT INTO animals VALUES ('cat', 4), ('bird', 2);" })
    t.equal(created.status, 201)
    t.match(created.body, { id: 'zoo', picture: null, initial_sql: /CREATE TABLE animals/ })
    t.match(await call('POST', '/schemas', { id: 'zoo', description: 'again', initial_sql: 'SELECT 1' }), { status: 409, body: { message: 'schema zoo already exists' } })
    t.match(await call('POST', '/schemas', { id: 'Zoo Two', description: 'x', initial_sql: 'SELECT 1' }), { status: 400, body: { message: /^id: / } })
    t.match(await call('POST', '/schemas', { description: 'x', initial_sql: 'SELECT 1' }), { status: 400, body: { message: 'id: is required' } })

    const badAnswer = await call('POST', '/questions', { schema_id: 'zoo', type: 'filtering', difficulty: 'easy', title: 'Legs', description: 'd', answer: 'SELECT wings FROM animals' })
    t.match(badAnswer, { status: 400, body: { message: 'answer: no such column: wings' } }, 'a reference answer that does not run is refused')
    t.match(await call('POST', '/questions', { schema_id: 'zoo', type: 'filtering', difficulty: 'extreme', title: 'x', description: 'd', answer: 'SELECT 1' }), { status: 400, body: { message: 'difficulty: must be one of easy, medium, hard' } })
    t.match(await call('POST', '/questions', { schema_id: 'nope', type: 'filtering', difficulty: 'easy', title: 'x', description: 'd', answer: 'SELECT 1' }), { status: 400, body: { message: /schema_id/ } })
    t.match(await call('POST', '/questions', { schema_id: 'zoo', type: 'filtering', difficulty: 'easy', title: 'x', description: 'd', answer: 'SELECT 1', solution_video: 'javascript:alert(1)' }), { status: 400, body: { message: /solution_video/ } })

    const question = await call('POST', '/questions', { schema_id: 'zoo', type: 'filtering', difficulty: 'easy', title: 'Legs', description: 'How many legs?', answer: 'SELECT name, legs FROM animals' })
    t.equal(question.status, 201)
    t.match(question.body, { id: /^\d+$/, schema_id: 'zoo', answer: 'SELECT name, legs FROM animals', solution_video: null })
    const id = question.body.id

    const patched = await call('PATCH', `/questions/${id}`, { title: 'Legs per animal', solution_video: 'https://videos.example.org/legs' })
    t.match(patched, { status: 200, body: { title: 'Legs per animal', solution_video: 'https://videos.example.org/legs', answer: 'SELECT name, legs FROM animals' } })
    t.ok(patched.body.updated_at >= question.body.updated_at)
    t.match(await call('PATCH', `/questions/${id}`, { answer: 'SELECT nope FROM animals' }), { status: 400, body: { message: /^answer: no such column/ } })
    t.match(await call('PATCH', `/questions/${id}`, {}), { status: 400 })

    t.match(await call('PATCH', '/schemas/zoo', { initial_sql: 'CREATE TABLE creatures (name TEXT);' }), { status: 400, body: { message: new RegExp(`question ${id} no longer runs`) } }, 'a schema change that breaks an answer is refused')
    t.match(await call('PATCH', '/schemas/zoo', { description: 'Animals and their legs' }), { status: 200, body: { description: 'Animals and their legs' } })

    t.match(await call('DELETE', '/schemas/zoo'), { status: 409, body: { message: 'schema zoo is used by 1 question; delete or move them first' } })
    t.equal((await call('DELETE', `/questions/${id}`)).status, 204)
    t.equal((await call('DELETE', `/questions/${id}`)).status, 404)
    t.equal((await call('DELETE', '/schemas/zoo')).status, 204)
  })
})
