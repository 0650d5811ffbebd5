import t from 'tap'
import { startQuestionsWithRunner } from '../helpers/service.ts'
import { withClient } from '../helpers/database.ts'

t.test('CRUD round trip through the questions service', async t => {
  const { questions, databaseUrl } = await startQuestionsWithRunner(t)
  const call = (method: string, url: string, body?: unknown) => questions.call(method, url, body)

  const seeded = await call('GET', '/crud/schemas')
  t.equal(seeded.status, 200)
  t.ok(seeded.body.length >= 3, 'an empty database got the starter catalogue on start')

  const created = await call('POST', '/crud/schemas', { id: 'garden', description: 'plants', initialSql: 'CREATE TABLE plants (name TEXT);' })
  t.equal(created.status, 200, JSON.stringify(created.body))
  t.equal(created.body.id, 'garden')
  t.ok(created.body.createdAt, 'created_at set by the database')

  const question = await call('POST', '/crud/questions', {
    schemaId: 'garden', type: 'filtering', difficulty: 'easy', title: 'All plants', description: 'List them', answer: 'SELECT name FROM plants'
  })
  t.equal(question.status, 200, JSON.stringify(question.body))
  const id = question.body.id

  const read = await call('GET', `/crud/questions/${id}`)
  t.equal(read.body.title, 'All plants')

  const updated = await call('PUT', `/crud/questions/${id}`, { ...question.body, title: 'Every plant', id: undefined, createdAt: undefined, updatedAt: undefined })
  t.equal(updated.status, 200, JSON.stringify(updated.body))
  t.equal(updated.body.title, 'Every plant')
  t.ok(new Date(updated.body.updatedAt) >= new Date(read.body.updatedAt), 'updated_at moves')

  const refused = await call('DELETE', '/crud/schemas/garden')
  t.equal(refused.status, 409, 'a schema in use cannot be deleted')
  t.match(refused.body, { message: /used by other records/ })
  t.equal((await call('GET', '/crud/schemas/garden')).status, 200, 'and it is still there')

  const invalid = await call('POST', '/crud/questions', {
    schemaId: 'garden', type: 'x', difficulty: 'impossible', title: 't', description: 'd', answer: 'SELECT 1'
  })
  t.equal(invalid.status, 400, 'a difficulty outside easy/medium/hard is refused')
  t.type(invalid.body.message, 'string')

  t.equal((await call('DELETE', `/crud/questions/${id}`)).status, 200)
  t.equal((await call('DELETE', '/crud/schemas/garden')).status, 200, 'an unused schema can be deleted')
  const gone = await withClient(databaseUrl, client => client.query(`SELECT 1 FROM schemas WHERE id = 'garden'`))
  t.equal(gone.rowCount, 0)
})
