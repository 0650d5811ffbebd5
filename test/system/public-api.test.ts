import t from 'tap'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient, studentScopes, teacherScopes } from '../helpers/api.ts'
import { withClient } from '../helpers/database.ts'

t.test('the public API through the gateway', async t => {
  const system = await startTestSystem(t, { CHALLENGE_RATE_LIMIT: '1000', COMPARE_RATE_LIMIT: '1000' })
  const { token, call } = apiClient(system.url)
  const student = await token(studentScopes)
  const teacher = await token(teacherScopes, 'teacher-1')

  t.test('health is public', async t => {
    t.equal((await call('GET', '/healthz')).status, 200)
  })

  t.test('questions and schemas, with the original shapes', async t => {
    const list = await call('GET', '/questions', { token: student })
    t.equal(list.status, 200)
    t.equal(list.body.length, 10)
    t.match(list.body[0], { id: '1', schema_id: String, type: String, difficulty: /^(easy|medium|hard)$/, title: String, description: String, created_at: String, updated_at: String })
    t.equal((await call('GET', '/questions?limit=3&offset=2', { token: student })).body[0].id, '3')
    t.equal((await call('GET', '/questions/abc', { token: student })).status, 400)
    t.match(await call('GET', '/questions/424242', { token: student }), { status: 404, body: { message: String } })
    t.same(Object.keys((await call('GET', '/questions/1/solution', { token: student })).body).sort(), ['id', 'solution_video'])
    t.match((await call('GET', '/schemas/shop', { token: student })).body, { id: 'shop', picture: null, description: String })
    t.equal((await call('GET', '/schemas', { token: student })).body.length, 3)
    const structure = await call('GET', '/schemas/shop/structure', { token: student })
    t.match(structure.body, { id: 'shop', tables: [{ name: 'customers', columns: [{ name: 'id', type: 'INTEGER' }] }] })
  })

  t.test('challenges: run, read, compare, errors', async t => {
    const created = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100" } })
    t.equal(created.status, 200)
    t.match(created.body, { challengeID: /^[A-Za-z0-9_-]+$/ })
    const id = created.body.challengeID
    t.match((await call('GET', `/challenges/${id}`, { token: student })).body, { header: ['name', 'price'], rows: [['Headphones', '79.9'], ['Keyboard', '49.5']] })
    t.same((await call('GET', `/challenges/${id}/compare`, { token: student })).body, { same: true })

    const wrong = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: "SELECT 'Headphones', '79.9'" } })
    t.match((await call('GET', `/challenges/${wrong.body.challengeID}/compare`, { token: student })).body, { same: false, reason: 'row count differs' })

    t.match(await call('POST', '/challenges', { token: student, body: { questionID: '1', query: 'SELECT * FROM nope' } }), { status: 422, body: { message: 'no such table: nope' } })
    t.match(await call('POST', '/challenges', { token: student, body: { questionID: '1', query: '' } }), { status: 400, body: { message: /query/ } })
    t.match(await call('POST', '/challenges', { token: student, body: { questionID: 'x', query: 'SELECT 1' } }), { status: 400, body: { message: /questionID/ } })
    t.match(await call('POST', '/challenges', { token: student, body: { questionID: '999999', query: 'SELECT 1' } }), { status: 404, body: { message: /does not exist/ } })
    t.match(await call('POST', '/challenges', { token: student, body: '{"questionID": "1", "query": ' }), { status: 400, body: { message: String } }, 'malformed JSON')
    t.match(await call('POST', '/challenges', { token: student, body: { questionID: '1', query: `SELECT '${'x'.repeat(300_000)}'` } }), { status: 413, body: { message: String } }, 'a huge body')
    t.match(await call('POST', '/challenges', { token: student, body: { questionID: '1', query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c' } }), { status: 422, body: { message: 'query timeout (takes more than 1 second)' } })
    t.match(await call('GET', '/challenges/garbage!', { token: student }), { status: 400 })
    t.equal((await call('GET', '/healthz')).status, 200, 'still serving')
  })

  t.test('scopes: 401 and 403 with WWW-Authenticate', async t => {
    const none = await call('GET', '/questions')
    t.equal(none.status, 401)
    t.match(none.headers.get('www-authenticate'), /^Bearer .*error="invalid_token"/)
    t.match(none.body, { message: String })
    const forged = await call('GET', '/questions', { token: `${student.slice(0, -4)}AAAA` })
    t.equal(forged.status, 401)
    const readOnly = await token(['read:question'], 'student-2')
    const noSolution = await call('GET', '/questions/1/solution', { token: readOnly })
    t.equal(noSolution.status, 403)
    t.match(noSolution.headers.get('www-authenticate'), /error="insufficient_scope", scope="read:question read:solution"/)
    t.same(noSolution.body, { message: 'missing scope: read:solution' })
    t.equal((await call('POST', '/schemas', { token: student, body: { id: 'x', description: 'x', initial_sql: 'SELECT 1' } })).status, 403, 'students cannot write')
  })

  t.test('nothing internal is reachable from outside', async t => {
    for (const [method, path] of [['GET', '/crud/questions'], ['GET', '/crud/questions/1'], ['GET', '/crud/schemas'], ['POST', '/internal/check'], ['GET', '/documentation/json'], ['GET', '/documentation'], ['GET', '/questions/1/answer'], ['GET', '/nope']]) {
      const response = await call(method, path, { token: teacher, body: method === 'POST' ? { initial_sql: 'SELECT 1' } : undefined })
      t.equal(response.status, 404, `${method} ${path} is 404`)
      t.notMatch(response.text, /SELECT|CREATE TABLE/i)
    }
  })

  t.test('client-supplied identity headers are not trusted', async t => {
    const response = await call('GET', '/questions', { headers: { 'x-playground-user': 'admin', 'x-playground-scopes': 'read:question write:resource' } })
    t.equal(response.status, 401)
  })

  t.test('the OpenAPI document lists exactly the public operations, with their scopes', async t => {
    const document = (await call('GET', '/openapi.json')).body
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) => Object.keys(item).map(method => `${method.toUpperCase()} ${path}`)).sort()
    t.ok(operations.includes('POST /challenges'))
    t.ok(operations.includes('GET /questions/{id}/solution'))
    t.notOk(operations.some(op => op.includes('/crud') || op.includes('/internal') || op.includes('/dev/')), 'no internal route')
    t.same(document.paths['/questions/{id}/solution'].get.security, [{ 'logto-jwt-token': ['read:question', 'read:solution'] }])
    t.same(document.paths['/healthz'].get.security, [])
    t.ok(document.paths['/challenges'].post.requestBody, 'request schemas come from the services')
    t.ok(document.components.securitySchemes['logto-jwt-token'])
    const docs = await call('GET', '/openapi/docs')
    t.equal(docs.status, 200)
    t.match(docs.text, /<html/i, 'interactive docs')
  })

  t.test('teacher flow: a teacher creates a schema and a question, a student solves it', async t => {
    const schema = await call('POST', '/schemas', { token: teacher, body: { id: 'garden', description: 'Plants', initial_sql: "CREATE TABLE plants (name TEXT, height INT); INSERT INTO plants VALUES ('fern', 40), ('oak', 2000), ('moss', 2);" } })
    t.equal(schema.status, 201, schema.text)
    const broken = await call('POST', '/schemas', { token: teacher, body: { id: 'broken', description: 'x', initial_sql: 'CREATE TABLE (' } })
    t.match(broken, { status: 400, body: { message: /^initial_sql: / } })
    const question = await call('POST', '/questions', { token: teacher, body: { schema_id: 'garden', type: 'filtering', difficulty: 'easy', title: 'Tall plants', description: 'Plants taller than 1 m', answer: 'SELECT name FROM plants WHERE height > 100' } })
    t.equal(question.status, 201, question.text)
    const id = question.body.id
    t.match((await call('GET', `/questions/${id}/full`, { token: teacher })).body, { answer: 'SELECT name FROM plants WHERE height > 100' })
    t.equal((await call('GET', `/questions/${id}/full`, { token: student })).status, 403)

    // Right only on the three visible plants: the dataset the question got
    // when it was created (it had none) tells it apart.
    const thin = await call('POST', '/challenges', { token: student, body: { questionID: id, query: 'SELECT name FROM plants WHERE height >= 1000' } })
    t.match((await call('GET', `/challenges/${thin.body.challengeID}/compare`, { token: student })).body, { same: false, reason: 'fails on a hidden dataset' })
    const attempt = await call('POST', '/challenges', { token: student, body: { questionID: id, query: 'SELECT name FROM plants WHERE 100 < height' } })
    t.same((await call('GET', `/challenges/${attempt.body.challengeID}/compare`, { token: student })).body, { same: true })
    t.equal((await call('PATCH', `/questions/${id}`, { token: teacher, body: { difficulty: 'medium' } })).body.difficulty, 'medium')
    t.match(await call('DELETE', '/schemas/garden', { token: teacher }), { status: 409 })
    t.equal((await call('DELETE', `/questions/${id}`, { token: teacher })).status, 204)
    t.equal((await call('DELETE', '/schemas/garden', { token: teacher })).status, 204)
  })

  t.test('no student-visible response carries a reference answer or initial SQL', async t => {
    const secrets = await withClient(system.databaseUrl, async client => {
      const answers = (await client.query('SELECT answer FROM questions')).rows.map(row => row.answer)
      const sqls = (await client.query('SELECT initial_sql FROM schemas')).rows.map(row => row.initial_sql)
      return [...answers, ...sqls]
    })
    const paths = ['/questions?limit=100', '/schemas']
    for (const q of (await call('GET', '/questions?limit=100', { token: student })).body) {
      paths.push(`/questions/${q.id}`, `/questions/${q.id}/solution`)
    }
    for (const s of (await call('GET', '/schemas', { token: student })).body) paths.push(`/schemas/${s.id}`, `/schemas/${s.id}/structure`)
    const id = (await call('POST', '/challenges', { token: student, body: { questionID: '2', query: 'SELECT name FROM products' } })).body.challengeID
    paths.push(`/challenges/${id}`, `/challenges/${id}/compare`, '/openapi.json', '/questions/1/full', '/schemas/shop/full', '/crud/questions')
    let checked = 0
    for (const path of paths) {
      const response = await call('GET', path, { token: student })
      const seen = response.text + JSON.stringify([...response.headers])
      for (const secret of secrets) {
        if (seen.includes(secret)) t.fail(`${path} leaks: ${secret.slice(0, 40)}`)
      }
      checked++
    }
    t.ok(checked > 30, `${checked} responses scanned, none leaks`)
  })
})
