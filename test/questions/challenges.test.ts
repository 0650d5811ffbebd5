// Challenges in the questions service (route -> domain -> storage), with the
// real runner behind it and a fresh PostgreSQL: who ran what, grading, and
// errors that never reveal a reference answer.
import t from 'tap'
import { verdictHints } from '../../services/dbrunner/lib/grading.ts'
import { randomBytes } from 'node:crypto'
import { encodeChallengeId } from '../../services/questions/lib/challenge-id.ts'
import { withClient } from '../helpers/database.ts'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('challenges', async t => {
  const { questions, databaseUrl } = await startQuestionsWithRunner(t, { COMPARES_PER_QUESTION_HOUR: '4' })
  const as = (user: string) => ({ 'x-playground-user': user })
  const run = (user: string, query: string, questionID = '1') => questions.call('POST', '/challenges', { questionID, query }, as(user))
  const right = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"

  t.test('run, read back, compare; equivalent spellings share a challenge', async t => {
    const created = await run('alice', right)
    t.equal(created.status, 200)
    const id = created.body.challengeID
    t.match(id, /^[A-Za-z0-9_-]{54}$/)
    t.match((await questions.call('GET', `/challenges/${id}`, undefined, as('alice'))).body, { header: ['name', 'price'], rows: [['Headphones', '79.9'], ['Keyboard', '49.5']] })
    t.equal((await run('alice', right.toLowerCase().replace("'electronics'", "'electronics'") + ';')).body.challengeID, id, 'same normalised query, same challenge')
    t.same((await questions.call('GET', `/challenges/${id}/compare`, undefined, as('alice'))).body, { same: true })
    const wrong = await run('alice', "SELECT 'Headphones', '79.9'")
    t.match((await questions.call('GET', `/challenges/${wrong.body.challengeID}/compare`, undefined, as('alice'))).body, { same: false, reason: 'row count differs' })
  })

  t.test('a challenge can be shared for reading, but only its author can have it graded', async t => {
    const id = (await run('bob', right)).body.challengeID
    t.equal((await questions.call('GET', `/challenges/${id}`, undefined, as('carol'))).status, 200, 'anyone may read it')
    const stolen = await questions.call('GET', `/challenges/${id}/compare`, undefined, as('mallory'))
    t.match(stolen, { status: 404, body: { message: /not created with your account/ } })
    const submissions = await withClient(databaseUrl, client => client.query("SELECT count(*)::int AS n FROM submissions WHERE user_id = 'mallory'"))
    t.equal(submissions.rows[0].n, 0, 'and nothing is recorded for the other user')
    t.equal((await questions.call('GET', `/challenges/${id}/compare`)).status, 401, 'grading needs a signed-in user')
    t.equal((await questions.call('POST', '/challenges', { questionID: '1', query: right })).status, 401, 'and so does a run')
  })

  t.test('each user\'s own text is what a submission records', async t => {
    const spelling = right.replace('SELECT', 'select')
    const id = (await run('dave', spelling)).body.challengeID
    await questions.call('GET', `/challenges/${id}/compare`, undefined, as('dave'))
    const recorded = await withClient(databaseUrl, client => client.query("SELECT query, same FROM submissions WHERE user_id = 'dave'"))
    t.same(recorded.rows, [{ query: spelling, same: true }])
  })

  t.test('clear errors', async t => {
    t.match(await run('erin', 'SELECT * FROM nope'), { status: 422, body: { message: 'no such table: nope' } })
    t.match(await run('erin', '   '), { status: 400, body: { message: 'query: must not be empty' } })
    t.match(await run('erin', 'SELECT 1', '999999'), { status: 404, body: { message: 'question 999999 does not exist' } })
    t.match(await run('erin', 'SELECT 1', 'x'), { status: 400, body: { message: /questionID/ } })
    t.match(await questions.call('POST', '/challenges', { questionID: '1', query: ['SELECT 1'] }, as('erin')), { status: 400, body: { message: /query/ } }, 'no type coercion of bodies')
    t.match(await questions.call('GET', '/challenges/not-an-id', undefined, as('erin')), { status: 400, body: { message: 'the challenge id is malformed' } })
    const unknown = encodeChallengeId({ questionId: '1', inputHash: randomBytes(32).toString('base64url') })
    t.match(await questions.call('GET', `/challenges/${unknown}`, undefined, as('erin')), { status: 404, body: { message: /expired/ } })
  })

  t.test('a broken question is the teachers\' problem: a 500 that shows nothing of it', async t => {
    await withClient(databaseUrl, async client => {
      await client.query("INSERT INTO schemas (id, description, initial_sql) VALUES ('broken', '', 'CREATE TABLE oops (')")
      await client.query("INSERT INTO questions (id, schema_id, type, difficulty, title, answer) VALUES (900, 'broken', 'x', 'easy', 'Broken schema', 'SELECT 1'), (901, 'shop', 'x', 'easy', 'Broken answer', 'SELECT secret_column FROM products')")
    })
    t.match(await run('frank', 'SELECT 1', '900'), { status: 500, body: { message: 'this question\'s schema does not build; the teachers have been told' } })
    const id = (await run('frank', 'SELECT name FROM products', '901')).body.challengeID
    const failure = await questions.call('GET', `/challenges/${id}/compare`, undefined, as('frank'))
    t.match(failure, { status: 500, body: { message: 'this question\'s reference answer does not run; the teachers have been told' } })
    t.notMatch(failure.raw, /secret_column/, 'the answer\'s text stays hidden')
  })

  t.test('hidden datasets: a hard-coded answer fails once one is attached', async t => {
    const hardCoded = "SELECT 'Headphones', '79.9' UNION ALL SELECT 'Keyboard', '49.5'"
    const id = (await run('grace', hardCoded)).body.challengeID
    const compare = async () => (await questions.call('GET', `/challenges/${id}/compare`, undefined, as('grace'))).body
    t.match(await compare(), { same: false, reason: 'fails on a hidden dataset', hint: verdictHints['fails on a hidden dataset'] }, 'the seeds ship hidden datasets')
    await withClient(databaseUrl, client => client.query('DELETE FROM hidden_datasets WHERE question_id = 1'))
    t.same(await compare(), { same: true }, 'without them it passes on the visible data alone')
    const schema = await withClient(databaseUrl, client => client.query("SELECT initial_sql FROM schemas WHERE id = 'shop'"))
    const hidden = String(schema.rows[0].initial_sql).replaceAll("'Keyboard'", "'Mousepad'")
    t.equal((await questions.call('POST', '/questions/1/datasets', { initial_sql: hidden }, as('teacher'))).status, 201)
    const failed = (await questions.call('GET', `/challenges/${id}/compare`, undefined, as('grace'))).body
    t.match(failed, { same: false, reason: 'fails on a hidden dataset', hint: verdictHints['fails on a hidden dataset'] })
    t.notMatch(JSON.stringify(failed), /Mousepad/, 'nothing of the hidden dataset is shown')
    const honest = (await run('grace', right)).body.challengeID
    t.same((await questions.call('GET', `/challenges/${honest}/compare`, undefined, as('grace'))).body, { same: true })
  })

  t.test('compares of one question are limited per user and hour, whatever the method', async t => {
    const id = (await run('henry', "SELECT 'x'")).body.challengeID
    const compare = (method = 'GET') => questions.call(method, `/challenges/${id}/compare`, undefined, as('henry'))
    t.equal((await compare()).status, 200)
    t.equal((await compare('HEAD')).status, 200, 'a HEAD grades (and counts) like a GET')
    t.equal((await compare()).status, 200)
    t.equal((await compare()).status, 200)
    const refused = await compare()
    t.match(refused, { status: 429, body: { message: 'too many compares of this question: at most 4 an hour; try again in 60 min' } })
    t.ok(Number(refused.headers['retry-after']) > 3500, 'Retry-After says when the oldest compare leaves the hour')
    t.equal((await questions.call('GET', `/challenges/${(await run('henry', "SELECT 'x'", '2')).body.challengeID}/compare`, undefined, as('henry'))).status, 200, 'other questions are not affected')
    t.equal((await questions.call('GET', `/challenges/${(await run('iris', "SELECT 'x'")).body.challengeID}/compare`, undefined, as('iris'))).status, 200, 'nor other users')
  })

  t.test('the structure of a schema, read by the runner', async t => {
    t.match((await questions.call('GET', '/schemas/shop/structure')).body, { id: 'shop', tables: [{ name: 'customers', columns: [{ name: 'id', type: 'INTEGER', primary_key: true }] }] })
    t.match(await questions.call('GET', '/schemas/broken/structure'), { status: 500, body: { message: 'this schema does not build; the teachers have been told' } })
    t.equal((await questions.call('GET', '/schemas/nope/structure')).status, 404)
  })
})
