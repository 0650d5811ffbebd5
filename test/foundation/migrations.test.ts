import t from 'tap'
import { migrate } from '../../lib/migrations.ts'
import { createTestDatabase, withClient } from '../helpers/database.ts'

const tables = (url: string) => withClient(url, async client => {
  const { rows } = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'versions' ORDER BY 1`)
  return rows.map(row => row.table_name)
})

t.test('migrations go up, down and up again', async t => {
  const url = await createTestDatabase(t)
  const up = await migrate(url)
  t.ok(up.to >= 1, 'reaches the latest version')
  t.ok(up.applied.length >= 1)
  t.same(await tables(url), ['challenges', 'groups', 'hidden_datasets', 'leaderboard_entries', 'point_ledger', 'questions', 'schemas', 'submissions', 'users'])

  const again = await migrate(url)
  t.same(again.applied, [], 'a second run applies nothing')

  const down = await migrate(url, '0')
  t.equal(down.to, 0)
  t.same(await tables(url), [], 'undo removes every table')

  const reapplied = await migrate(url)
  t.equal(reapplied.to, up.to)
  t.same(await tables(url), ['challenges', 'groups', 'hidden_datasets', 'leaderboard_entries', 'point_ledger', 'questions', 'schemas', 'submissions', 'users'])
})

t.test('the data model keeps its rules', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await withClient(url, async client => {
    await client.query(`INSERT INTO schemas (id, description, initial_sql) VALUES ('zoo', 'animals', 'CREATE TABLE a (x INT);')`)
    const { rows: [question] } = await client.query(
      `INSERT INTO questions (schema_id, type, difficulty, title, description, answer)
       VALUES ('zoo', 'filtering', 'easy', 'All', 'd', 'SELECT * FROM a') RETURNING id, created_at, updated_at`)
    t.type(question.id, 'string', 'bigint ids come back as text, ready for string ids')

    await t.rejects(client.query(`DELETE FROM schemas WHERE id = 'zoo'`), { code: '23001' }, 'a schema used by a question cannot be deleted (RESTRICT)')
    await t.rejects(client.query(`INSERT INTO questions (schema_id, type, difficulty, title, answer) VALUES ('zoo', 't', 'extreme', 'x', 'SELECT 1')`), { code: '23514' }, 'difficulty is easy, medium or hard')
    await t.rejects(client.query(`INSERT INTO schemas (id, initial_sql) VALUES ('Bad Id!', 'x')`), { code: '23514' }, 'schema ids are slugs')
    await t.rejects(client.query(`INSERT INTO questions (schema_id, type, difficulty, title, answer) VALUES ('nope', 't', 'easy', 'x', 'SELECT 1')`), { code: '23503' }, 'a question needs an existing schema')

    await new Promise(resolve => setTimeout(resolve, 20))
    const { rows: [updated] } = await client.query(`UPDATE questions SET title = 'Everything' WHERE id = $1 RETURNING created_at, updated_at`, [question.id])
    t.ok(updated.updated_at > question.updated_at, 'updated_at moves on update, kept by the database')
    t.same(updated.created_at, question.created_at, 'created_at stays')

    await client.query('DELETE FROM questions')
    await client.query(`DELETE FROM schemas WHERE id = 'zoo'`)
    t.equal((await client.query('SELECT count(*)::int AS n FROM schemas')).rows[0].n, 0, 'an unused schema can be deleted')

    await client.query(`INSERT INTO groups (name) VALUES ('class-a')`)
    await client.query(`INSERT INTO users (id, group_id) VALUES ('logto-sub-1', (SELECT id FROM groups WHERE name = 'class-a'))`)
    await client.query(`DELETE FROM groups WHERE name = 'class-a'`)
    const { rows: [user] } = await client.query(`SELECT group_id FROM users WHERE id = 'logto-sub-1'`)
    t.equal(user.group_id, null, 'deleting a group keeps its users, without a group')
  })
})
