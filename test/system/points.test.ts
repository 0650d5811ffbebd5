import t from 'tap'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient, studentScopes, teacherScopes } from '../helpers/api.ts'
import { withClient } from '../helpers/database.ts'

t.test('points, submissions, statistics and hidden datasets', async t => {
  const system = await startTestSystem(t, { CHALLENGE_RATE_LIMIT: '100000', COMPARE_RATE_LIMIT: '100000' })
  const { token, call } = apiClient(system.url)
  const db = <T>(fn: (client: import('pg').Client) => Promise<T>) => withClient(system.databaseUrl, fn)
  const ledgerMatchesBalances = () => db(async client => {
    const { rows } = await client.query(`SELECT u.id, u.points, COALESCE(sum(l.amount), 0)::int AS ledger
      FROM users u LEFT JOIN point_ledger l ON l.user_id = u.id GROUP BY u.id, u.points`)
    return rows.filter(row => Number(row.points) !== Number(row.ledger) || Number(row.points) < 0)
  })
  const easyCorrect = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"

  t.test('a new user starts with 100 points; the first solve awards once', async t => {
    const alice = await token(studentScopes, 'alice')
    t.equal((await call('GET', '/questions?limit=1', { token: alice })).status, 200)
    const before = await db(client => client.query(`SELECT points FROM users WHERE id = 'alice'`))
    t.same(before.rows, [], 'reading the catalogue needs no user row (the gateway only authenticates)')
    t.equal((await call('GET', '/me', { token: alice })).status, 200)
    const exists = await db(client => client.query(`SELECT points FROM users WHERE id = 'alice'`))
    t.same(exists.rows, [{ points: 100 }], 'the user row is created on first use of the user\'s own data')
    t.same((await call('GET', '/me', { token: alice })).body, { id: 'alice', points: 100, solved: 0, attempted: 0 })

    const wrong = (await call('POST', '/challenges', { token: alice, body: { questionID: '1', query: 'SELECT name, price FROM products' } })).body.challengeID
    t.match((await call('GET', `/challenges/${wrong}/compare`, { token: alice })).body, { same: false })
    t.same((await call('GET', '/me', { token: alice })).body, { id: 'alice', points: 100, solved: 0, attempted: 1 })

    const right = (await call('POST', '/challenges', { token: alice, body: { questionID: '1', query: easyCorrect } })).body.challengeID
    t.same((await call('GET', `/challenges/${right}/compare`, { token: alice })).body, { same: true })
    t.same((await call('GET', '/me', { token: alice })).body, { id: 'alice', points: 110, solved: 1, attempted: 1 }, 'easy awards 10')
    await call('GET', `/challenges/${right}/compare`, { token: alice })
    t.equal((await call('GET', '/me', { token: alice })).body.points, 110, 'solving again awards nothing')

    const submissions = (await call('GET', '/me/submissions', { token: alice })).body
    t.equal(submissions.length, 3)
    t.match(submissions[0], { question_id: '1', query: easyCorrect, same: true, reason: null })
    t.match(submissions[2], { same: false, reason: 'row count differs', query: 'SELECT name, price FROM products' })
    t.ok(Number(submissions[0].id) > Number(submissions[1].id), 'newest first')
    t.equal((await call('GET', '/me/submissions?question_id=2', { token: alice })).body.length, 0)
    t.equal((await call('GET', '/me/submissions?limit=1&offset=1', { token: alice })).body.length, 1)
  })

  t.test('a solution costs 20 points once; 402 when points run out', async t => {
    const bob = await token(studentScopes, 'bob')
    t.equal((await call('GET', '/questions/1/solution', { token: bob })).status, 200)
    t.equal((await call('GET', '/me', { token: bob })).body.points, 80)
    t.equal((await call('GET', '/questions/1/solution', { token: bob })).status, 200)
    t.equal((await call('GET', '/me', { token: bob })).body.points, 80, 'opening it again is free')
    for (const id of ['2', '3', '4', '5']) t.equal((await call('GET', `/questions/${id}/solution`, { token: bob })).status, 200)
    t.equal((await call('GET', '/me', { token: bob })).body.points, 0)
    const refused = await call('GET', '/questions/6/solution', { token: bob })
    t.equal(refused.status, 402)
    t.match(refused.body, { message: /not enough points/ })
    t.notOk('solution_video' in (refused.body ?? {}))
    t.equal((await call('GET', '/me', { token: bob })).body.points, 0, 'a 402 debits nothing')
    t.equal((await call('GET', '/questions/2/solution', { token: bob })).status, 200, 'a solution already paid for stays open')
    t.equal((await call('GET', '/questions/999999/solution', { token: bob })).status, 404)
    t.same(await ledgerMatchesBalances(), [])
  })

  t.test('50 requests at once from one user: no double debit, no double award, no lost update', async t => {
    const carol = await token(studentScopes, 'carol')
    const opens = await Promise.all(Array.from({ length: 50 }, () => call('GET', '/questions/3/solution', { token: carol })))
    t.ok(opens.every(response => response.status === 200))
    t.equal((await call('GET', '/me', { token: carol })).body.points, 80, 'debited once')

    const id = (await call('POST', '/challenges', { token: carol, body: { questionID: '1', query: easyCorrect } })).body.challengeID
    const compares = await Promise.all(Array.from({ length: 50 }, () => call('GET', `/challenges/${id}/compare`, { token: carol })))
    t.ok(compares.every(response => response.status === 200 && response.body.same === true))
    t.equal((await call('GET', '/me', { token: carol })).body.points, 90, 'awarded once')
    t.equal((await db(client => client.query(`SELECT count(*)::int AS n FROM submissions WHERE user_id = 'carol'`))).rows[0].n, 50, 'every compare is a submission')

    // 90 points buy four 20-point solutions; 50 racing requests over 10 questions.
    const racing = await Promise.all(Array.from({ length: 50 }, (_, i) => call('GET', `/questions/${4 + (i % 10)}/solution`, { token: carol })))
    const paid = new Set(racing.filter(response => response.status === 200).map(response => response.body.id))
    t.equal(paid.size, 4, 'exactly four new solutions could be paid for')
    t.ok(racing.every(response => response.status === 200 || response.status === 402))
    t.equal((await call('GET', '/me', { token: carol })).body.points, 10, 'the balance is exact and never negative')
    t.same(await ledgerMatchesBalances(), [], 'every balance equals its ledger')
  })

  t.test('statistics after a scripted mix', async t => {
    const dave = await token(studentScopes, 'dave')
    const erin = await token(studentScopes, 'erin')
    const run = async (who: string, query: string) => {
      const id = (await call('POST', '/challenges', { token: who, body: { questionID: '7', query } })).body.challengeID
      return (await call('GET', `/challenges/${id}/compare`, { token: who })).body.same
    }
    const before = (await call('GET', '/questions/7/statistics', { token: dave })).body
    t.same(before, { question_id: '7', submissions: 0, correct_submissions: 0, attempted_users: 0, solved_users: 0, pass_rate: 0 })
    t.equal(await run(dave, 'SELECT title FROM books'), false)
    t.equal(await run(dave, 'SELECT title, published FROM books WHERE published < 1970'), true)
    t.equal(await run(erin, 'SELECT title FROM books'), false)
    t.same((await call('GET', '/questions/7/statistics', { token: dave })).body, {
      question_id: '7', submissions: 3, correct_submissions: 1, attempted_users: 2, solved_users: 1, pass_rate: 0.5
    })
    t.equal((await call('GET', '/questions/424242/statistics', { token: dave })).status, 404)
  })

  t.test('a hard-coded answer fails once a hidden dataset is attached', async t => {
    const teacher = await token(teacherScopes, 'teacher')
    const student = await token(studentScopes, 'frank')
    t.equal((await call('POST', '/schemas', { token: teacher, body: { id: 'people', description: 'People', initial_sql: "CREATE TABLE people (name TEXT, age INT); INSERT INTO people VALUES ('Alice', 30), ('Bob', 17);" } })).status, 201)
    const question = (await call('POST', '/questions', { token: teacher, body: { schema_id: 'people', type: 'filtering', difficulty: 'hard', title: 'Adults', description: 'Names of adults', answer: 'SELECT name FROM people WHERE age >= 18' } })).body
    const hardcoded = (await call('POST', '/challenges', { token: student, body: { questionID: question.id, query: "SELECT 'Alice'" } })).body.challengeID
    // Created without hidden data, the question got a generated dataset.
    const generated = (await call('GET', `/questions/${question.id}/datasets`, { token: teacher })).body
    t.equal(generated.length, 1, 'a question is never without hidden data')
    t.match((await call('GET', `/challenges/${hardcoded}/compare`, { token: student })).body, { same: false, reason: 'fails on a hidden dataset' }, 'the generated dataset catches the copy')
    t.equal((await call('DELETE', `/questions/${question.id}/datasets/${generated[0].id}`, { token: teacher })).status, 204)
    t.same((await call('GET', `/challenges/${hardcoded}/compare`, { token: student })).body, { same: true }, 'passes on the visible schema alone')

    const badShape = await call('POST', `/questions/${question.id}/datasets`, { token: teacher, body: { initial_sql: "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Zoe');" } })
    t.match(badShape, { status: 400, body: { message: /same tables and columns/ } })
    t.equal((await call('POST', `/questions/${question.id}/datasets`, { token: student, body: { initial_sql: 'x' } })).status, 403)
    const secretRow = 'Quintessa Hidden'
    const dataset = await call('POST', `/questions/${question.id}/datasets`, { token: teacher, body: { initial_sql: `CREATE TABLE people (name TEXT, age INT); INSERT INTO people VALUES ('${secretRow}', 44), ('Kid', 9);` } })
    t.equal(dataset.status, 201)
    t.match(dataset.body, { id: /^\d+$/ })

    const verdict = await call('GET', `/challenges/${hardcoded}/compare`, { token: student })
    t.match(verdict.body, { same: false, reason: 'fails on a hidden dataset' })
    t.notMatch(verdict.text, new RegExp(secretRow), 'nothing of the hidden dataset is revealed')
    const honest = (await call('POST', '/challenges', { token: student, body: { questionID: question.id, query: 'SELECT name FROM people WHERE age > 17' } })).body.challengeID
    t.same((await call('GET', `/challenges/${honest}/compare`, { token: student })).body, { same: true }, 'a real solution passes everywhere')
    t.equal((await call('GET', '/me', { token: student })).body.points, 130, 'hard awards 30')

    const listed = await call('GET', `/questions/${question.id}/datasets`, { token: teacher })
    t.match(listed.body, [{ id: dataset.body.id, question_id: question.id, initial_sql: new RegExp(secretRow) }])
    t.equal((await call('GET', `/questions/${question.id}/datasets`, { token: student })).status, 403, 'students never get dataset SQL')
    for (const path of [`/questions/${question.id}`, `/me/submissions`, `/questions/${question.id}/statistics`, `/challenges/${hardcoded}`]) {
      t.notMatch((await call('GET', path, { token: student })).text, new RegExp(secretRow), `${path} reveals nothing`)
    }
    t.equal((await call('DELETE', `/questions/${question.id}/datasets/${dataset.body.id}`, { token: teacher })).status, 204)
    t.same((await call('GET', `/challenges/${hardcoded}/compare`, { token: student })).body, { same: true }, 'without the dataset it passes again')
  })

  t.test('a shared challenge id earns nothing for someone else, and submissions keep each user\'s own text', async t => {
    const owner = await token(studentScopes, 'henry')
    const copier = await token(studentScopes, 'ivy')
    const id = (await call('POST', '/challenges', { token: owner, body: { questionID: '1', query: `${easyCorrect} -- henry's own words` } })).body.challengeID
    const stolen = await call('GET', `/challenges/${id}/compare`, { token: copier })
    t.equal(stolen.status, 404, 'comparing a challenge made by another account is refused')
    t.match(stolen.body, { message: /run the query yourself/ })
    t.same((await call('GET', '/me', { token: copier })).body, { id: 'ivy', points: 100, solved: 0, attempted: 0 }, 'and credits nothing')

    const own = (await call('POST', '/challenges', { token: copier, body: { questionID: '1', query: `${easyCorrect} -- ivy typed this` } })).body.challengeID
    t.equal(own, id, 'the same query spelled differently is the same challenge')
    t.same((await call('GET', `/challenges/${own}/compare`, { token: copier })).body, { same: true })
    const [submission] = (await call('GET', '/me/submissions', { token: copier })).body
    t.equal(submission.query, `${easyCorrect} -- ivy typed this`, 'the submission records what this user wrote')
    t.equal((await call('GET', '/me', { token: copier })).body.points, 110)
  })

  t.test('/me needs a token, no scope', async t => {
    t.equal((await call('GET', '/me')).status, 401)
    const bare = await token([], 'grace')
    t.equal((await call('GET', '/me', { token: bare })).status, 200)
    t.equal((await call('GET', '/questions/1/statistics', { token: bare })).status, 403, 'statistics need read:question')
  })
})
