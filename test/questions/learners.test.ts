// What learners browse besides questions, in the questions service with the
// real runner and PostgreSQL: question types, filters, the points ledger,
// and the display name a user's requests carry.
import t from 'tap'
import { withClient } from '../helpers/database.ts'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('learners', async t => {
  const { questions, databaseUrl } = await startQuestionsWithRunner(t)
  const as = (user: string, name?: string) => ({ 'x-playground-user': user, ...(name === undefined ? {} : { 'x-playground-name': encodeURIComponent(name) }) })
  const get = (url: string, headers: Record<string, string> = as('learner')) => questions.call('GET', url, undefined, headers)
  const storedName = async (user: string) => (await withClient(databaseUrl, client => client.query('SELECT display_name FROM users WHERE id = $1', [user]))).rows[0]?.display_name

  t.test('GET /categories: every type with its count, sorted by type', async t => {
    const categories = await get('/categories')
    t.equal(categories.status, 200)
    const types = categories.body.map((category: { type: string }) => category.type)
    t.same(types, [...types].sort(), 'sorted by type')
    t.same(types, ['aggregation', 'filtering', 'joins', 'null handling', 'ordering', 'subqueries'])
    t.equal(categories.body.reduce((sum: number, category: { count: number }) => sum + category.count, 0), 16, 'the counts add up to the catalogue')
    for (const { type, count } of categories.body) {
      const listed = await get(`/questions?type=${encodeURIComponent(type)}&limit=100`)
      t.equal(listed.body.length, count, `${type}: ${count} questions`)
    }
  })

  t.test('GET /questions filters by type and difficulty, with the same shape and paging', async t => {
    const all = (await get('/questions?limit=100')).body
    const joins = await get('/questions?type=joins&limit=100')
    t.same(joins.body, all.filter((q: { type: string }) => q.type === 'joins'), 'only joins, in id order, the same items')
    const mediumJoins = await get('/questions?type=joins&difficulty=medium&limit=100')
    t.ok(mediumJoins.body.length >= 1)
    t.same(mediumJoins.body, all.filter((q: { type: string, difficulty: string }) => q.type === 'joins' && q.difficulty === 'medium'))
    const hard = (await get('/questions?difficulty=hard&limit=100')).body
    t.ok(hard.length >= 2 && hard.every((q: { difficulty: string }) => q.difficulty === 'hard'), `${hard.length} hard questions`)
    t.same((await get('/questions?difficulty=hard&limit=1&offset=1')).body, [hard[1]], 'paged after filtering')
    t.equal((await get('/questions?difficulty=hard')).body.length, Math.min(hard.length, 10), 'default limit')
    t.same(Object.keys(hard[0]).sort(), ['created_at', 'description', 'difficulty', 'id', 'schema_id', 'title', 'type', 'updated_at'], 'the list shape')
    t.same((await get('/questions?type=astrology')).body, [], 'an unknown type lists nothing')
    t.match(await get('/questions?difficulty=extreme'), { status: 400, body: { message: 'difficulty: must be one of easy, medium, hard' } })
    t.match(await get('/questions?type='), { status: 400, body: { message: /^type: / } })
    t.match(await get(`/questions?type=${'x'.repeat(101)}`), { status: 400, body: { message: /^type: / } })
  })

  t.test('GET /me/points: the ledger, newest first, paged', async t => {
    t.match(await get('/me/points', {}), { status: 401, body: { message: /signed-in user/ } })
    const first = await get('/me/points', as('points-user'))
    t.equal(first.status, 200)
    t.match(first.body, [{ amount: 100, reason: 'welcome', question_id: null }], 'a new user sees their welcome points')
    t.match(first.body[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    t.equal((await get('/questions/2/solution', as('points-user'))).status, 200)
    const right = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
    const challenge = (await questions.call('POST', '/challenges', { questionID: '1', query: right }, as('points-user'))).body.challengeID
    t.same((await get(`/challenges/${challenge}/compare`, as('points-user'))).body, { same: true })
    const ledger = (await get('/me/points', as('points-user'))).body
    t.same(ledger.map((entry: { amount: number, reason: string, question_id: string | null }) => [entry.amount, entry.reason, entry.question_id]),
      [[10, 'solved', '1'], [-20, 'solution', '2'], [100, 'welcome', null]], 'newest first, question ids as strings')
    t.same(Object.keys(ledger[0]).sort(), ['amount', 'created_at', 'question_id', 'reason'])
    t.same((await get('/me/points?limit=1&offset=1', as('points-user'))).body, [ledger[1]], 'paged')
    t.same((await get('/me/points?limit=0', as('points-user'))).body, ledger, 'limit 0 is the default page')
    t.equal((await get('/me', as('points-user'))).body.points, ledger.reduce((sum: number, entry: { amount: number }) => sum + entry.amount, 0), 'the balance is the sum')
    t.match(await get('/me/points?limit=-1', as('points-user')), { status: 400, body: { message: /^limit: / } })
    t.match(await get('/me/points?offset=x', as('points-user')), { status: 400, body: { message: /^offset: / } })
    t.same((await get('/me/points', as('someone-else'))).body.map((entry: { reason: string }) => entry.reason), ['welcome'], 'only one\'s own ledger')
  })

  t.test('the latest display name is stored with the user, never an e-mail address', async t => {
    await get('/me/points', as('named-user', 'Ada Lovelace'))
    t.equal(await storedName('named-user'), 'Ada Lovelace')
    await get('/me/points', as('named-user', 'Ada K.'))
    t.equal(await storedName('named-user'), 'Ada K.', 'a changed name is stored')
    await get('/me/points', as('named-user', 'Ada Lovelace'))
    t.equal(await storedName('named-user'), 'Ada Lovelace', 'and a name used before, again')
    await get('/me', as('named-user', 'Zoë 学生'))
    t.equal(await storedName('named-user'), 'Zoë 学生', 'any script, through the percent-encoded header')
    await get('/me', as('named-user'))
    t.equal(await storedName('named-user'), null, 'a token without a name: none')
    await get('/me/points', as('mail-user', 'ada@example.org'))
    t.equal(await storedName('mail-user'), null, 'an e-mail address is not a display name')
    await get('/me/points', as('mail-user', 'Ada (ada@example.org)'))
    t.equal(await storedName('mail-user'), null, 'nor a name that carries one')
    await get('/me/points', as('long-user', `  ${'é'.repeat(150)}  `))
    t.equal(await storedName('long-user'), 'é'.repeat(100), 'trimmed, at most 100 characters')
    const right = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
    await questions.call('POST', '/challenges', { questionID: '1', query: right }, as('runner-user', 'Grace H.'))
    t.equal(await storedName('runner-user'), 'Grace H.', 'a run stores the name too')
  })
})
