import t from 'tap'
import initSqlJs from 'sql.js'
import { migrate } from '../../lib/migrations.ts'
import { loadSeeds, isCatalogueEmpty } from '../../lib/seed.ts'
import { createTestDatabase, withClient } from '../helpers/database.ts'

t.test('seeds load twice without duplicates', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await withClient(url, async client => {
    t.ok(await isCatalogueEmpty(client))
    const first = await loadSeeds(client)
    t.ok(first.schemas >= 3, `${first.schemas} schemas`)
    t.ok(first.questions >= 12, `${first.questions} questions`)
    const second = await loadSeeds(client)
    t.same(second, { schemas: 0, questions: 0 }, 'the second load inserts nothing')
    const { rows: [counts] } = await client.query('SELECT (SELECT count(*)::int FROM schemas) AS schemas, (SELECT count(*)::int FROM questions) AS questions')
    t.same(counts, first)
    t.notOk(await isCatalogueEmpty(client))

    const { rows: difficulties } = await client.query('SELECT DISTINCT difficulty FROM questions ORDER BY 1')
    t.same(difficulties.map(row => row.difficulty), ['easy', 'hard', 'medium'])
    const { rows: [types] } = await client.query('SELECT count(DISTINCT type)::int AS n FROM questions')
    t.ok(types.n >= 5, 'several question types')
    const { rows: [videos] } = await client.query('SELECT count(solution_video)::int AS n FROM questions')
    t.ok(videos.n >= 1, 'some questions have a solution video')
  })
})

t.test('every seeded answer runs on SQLite and gives a non-trivial result', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  const SQL = await initSqlJs()
  await withClient(url, async client => {
    await loadSeeds(client)
    const { rows: schemas } = await client.query('SELECT id, initial_sql FROM schemas')
    for (const schema of schemas) {
      const db = new SQL.Database()
      db.exec(schema.initial_sql)
      const tables = db.exec(`SELECT name FROM sqlite_master WHERE type = 'table'`)[0].values.map(row => String(row[0]))
      t.ok(tables.length >= 3, `${schema.id} has ${tables.length} tables`)
      const largest = Math.max(...tables.map(name => Number(db.exec(`SELECT count(*) FROM "${name}"`)[0].values[0][0])))
      t.ok(largest >= 8, `${schema.id}: the main table has ${largest} rows`)
      db.close()
    }
    const { rows: questions } = await client.query('SELECT q.title, q.answer, s.initial_sql FROM questions q JOIN schemas s ON s.id = q.schema_id')
    for (const question of questions) {
      const db = new SQL.Database()
      db.exec(question.initial_sql)
      const result = db.exec(question.answer)
      t.ok(result.length === 1 && result[0].values.length >= 1, `"${question.title}" returns rows`)
      db.close()
    }
  })
})
