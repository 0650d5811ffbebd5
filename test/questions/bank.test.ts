// Question banks through the questions service, with the real runner
// checking every schema and question, on a real PostgreSQL: export, import
// into an emptied catalogue, dry runs, idempotence, broken banks, conflicts.
import t from 'tap'
import type pg from 'pg'
import { withClient } from '../helpers/database.ts'
import { startQuestionsWithRunner } from '../helpers/service.ts'

interface Bank {
  version: number
  schemas: { id: string, description: string, picture: string | null, initial_sql: string }[]
  questions: { id: string, schema_id: string, title: string, answer: string, datasets: string[], [field: string]: unknown }[]
}

const copy = <T>(value: T): T => structuredClone(value)

t.test('question banks', async t => {
  const { questions, databaseUrl } = await startQuestionsWithRunner(t)
  const teacher = { 'x-playground-user': 'teacher' }
  const call = (method: string, url: string, body?: unknown) => questions.call(method, url, body, teacher)
  const sql = (text: string) => withClient(databaseUrl, (client: pg.Client) => client.query(text))
  const counts = async () => (await sql(`SELECT (SELECT count(*)::int FROM schemas) AS schemas, (SELECT count(*)::int FROM questions) AS questions,
    (SELECT count(*)::int FROM hidden_datasets) AS datasets, (SELECT max(updated_at) FROM questions) AS touched`)).rows[0]

  const exported = await call('GET', '/bank')
  t.equal(exported.status, 200)
  const seeded: Bank = exported.body

  t.test('the export is the whole catalogue with everything a teacher wrote', async t => {
    t.equal(seeded.version, 1)
    t.same(seeded.schemas.map(schema => schema.id), ['library', 'school', 'shop'])
    t.equal(seeded.questions.length, 16)
    t.same(seeded.questions.map(question => question.id), seeded.questions.map((_, i) => String(i + 1)), 'in id order')
    t.same(Object.keys(seeded.questions[0]), ['id', 'schema_id', 'type', 'difficulty', 'title', 'description', 'answer', 'solution_video', 'grading', 'equivalent_mutants', 'datasets'])
    t.match(seeded.questions[0], { answer: /SELECT/, grading: { row_order: 'auto', column_names: 'ignore', numeric_tolerance: null }, datasets: [/INSERT INTO/, /INSERT INTO/] })
    t.match(seeded.schemas[2], { id: 'shop', initial_sql: /CREATE TABLE customers/ })
  })

  t.test('importing it again changes nothing, a dry run writes nothing', async t => {
    const before = await counts()
    const again = await call('POST', '/bank', seeded)
    t.equal(again.status, 200)
    t.same(again.body.created, { schemas: [], questions: [], datasets: [] })
    t.same(again.body.updated, { schemas: [], questions: [], datasets: [] })
    t.equal(again.body.unchanged.questions.length, 16)
    t.equal(again.body.unchanged.datasets.length, 37)
    t.same(again.body.conflicts, [])
    t.same(await counts(), before, 'no row written, none touched')

    const bank = copy(seeded)
    bank.questions.push({ ...copy(seeded.questions[0]), id: '500', title: 'Electronics under 100, again' })
    const dry = await call('POST', '/bank?dry_run=true', bank)
    t.match(dry, { status: 200, body: { dry_run: true, mode: 'merge', created: { schemas: [], questions: ['500'], datasets: ['500/1', '500/2'] } } })
    t.same(await counts(), before, 'the dry run wrote nothing')
  })

  t.test('an emptied catalogue imports back to the same catalogue, ids kept', async t => {
    await sql('DELETE FROM hidden_datasets; DELETE FROM questions; DELETE FROM schemas')
    const imported = await call('POST', '/bank', seeded)
    t.equal(imported.status, 200)
    t.match(imported.body, { dry_run: false, created: { schemas: ['library', 'school', 'shop'] } })
    t.equal(imported.body.created.questions.length, 16)
    t.equal(imported.body.created.datasets.length, 37)
    t.same((await call('GET', '/bank')).body, seeded, 'the same catalogue')
    const created = await call('POST', '/questions', { schema_id: 'shop', type: 'filtering', difficulty: 'easy', title: 'Later', description: 'd', answer: 'SELECT name FROM products' })
    t.equal(created.status, 201)
    t.ok(Number(created.body.id) > 16, `a question created after the import gets a fresh id (${created.body.id})`)
    t.equal((await call('DELETE', `/questions/${created.body.id}`)).status, 204)
  })

  t.test('a bank with one broken question imports nothing', async t => {
    const before = await counts()
    const bank: Bank = {
      version: 1,
      schemas: [{ id: 'zoo', description: 'animals', picture: null, initial_sql: "CREATE TABLE animals (name TEXT, legs INT); INSERT INTO animals VALUES ('cat', 4), ('bird', 2);" }],
      questions: [
        { ...copy(seeded.questions[0]), id: '600', schema_id: 'zoo', title: 'Legs', answer: 'SELECT name, legs FROM animals', datasets: [] },
        { ...copy(seeded.questions[0]), id: '601', schema_id: 'zoo', title: 'Wings', answer: 'SELECT wings FROM animals', datasets: [] }
      ]
    }
    t.match(await call('POST', '/bank', bank), { status: 400, body: { message: 'question 601: answer: no such column: wings' } })
    t.match(await call('POST', '/bank?dry_run=true', bank), { status: 400, body: { message: /^question 601: / } }, 'a dry run finds it too')
    const brokenSchema = copy(bank)
    brokenSchema.schemas[0].initial_sql = 'CREATE TABLE animals (name TEXT'
    t.match(await call('POST', '/bank', brokenSchema), { status: 400, body: { message: /^schema zoo: initial_sql: / } })
    const brokenDataset = copy(bank)
    brokenDataset.questions = [{ ...bank.questions[0], datasets: ['CREATE TABLE beasts (x INT);'] }]
    t.match(await call('POST', '/bank', brokenDataset), { status: 400, body: { message: /^question 600: .*hidden dataset 1/ } })
    t.same(await counts(), before, 'nothing was written')
    t.equal((await call('GET', '/schemas/zoo')).status, 404)

    bank.questions.pop()
    t.match(await call('POST', '/bank', bank), { status: 200, body: { created: { schemas: ['zoo'], questions: ['600'] } } }, 'without the broken one it imports')
  })

  t.test('conflicts are reported and nothing written; mode=replace overwrites them', async t => {
    const before = await counts()
    const bank = copy(seeded)
    bank.questions[1].title = 'The three dearest products'
    bank.questions[2].datasets = bank.questions[2].datasets.slice(0, 1)
    bank.schemas[0].description = 'A library'
    t.equal((bank.questions[3].equivalent_mutants as unknown[]).length, 1, 'question 4 has a mutant judged equivalent')
    bank.questions[3].equivalent_mutants = []
    bank.questions.push({ ...copy(seeded.questions[0]), id: '700', title: 'New one' })
    const refused = await call('POST', '/bank', bank)
    t.equal(refused.status, 409)
    t.match(refused.body.message, /^4 conflicts: schema library \(description\); question 2 \(title\); question 3 \(datasets\); question 4 \(equivalent_mutants\) differ/)
    t.same(refused.body.conflicts, [
      { kind: 'schema', id: 'library', fields: ['description'] },
      { kind: 'question', id: '2', fields: ['title'] },
      { kind: 'question', id: '3', fields: ['datasets'] },
      { kind: 'question', id: '4', fields: ['equivalent_mutants'] }
    ])
    t.same(refused.body.created.questions, ['700'], 'the report says what the import would have done')
    t.same(await counts(), before, 'nothing was written, not even the new question')
    t.match(await call('POST', '/bank?dry_run=true', bank), { status: 200, body: { dry_run: true, conflicts: [{ id: 'library' }, { id: '2' }, { id: '3' }, { id: '4' }] } }, 'a dry run reports them')

    const replaced = await call('POST', '/bank?mode=replace', bank)
    t.equal(replaced.status, 200)
    t.match(replaced.body, {
      mode: 'replace',
      created: { schemas: [], questions: ['700'], datasets: ['700/1', '700/2'] },
      updated: { schemas: ['library'], questions: ['2', '4'], datasets: [] },
      deleted: { datasets: ['3/2'] },
      conflicts: []
    })
    t.equal((await call('GET', '/questions/2')).body.title, 'The three dearest products')
    t.same((await call('GET', '/questions/4/full')).body.equivalent_mutants, [], 'the judgement was replaced too')
    t.equal((await call('GET', '/questions/3/datasets')).body.length, 1)
    t.equal((await call('GET', '/schemas/library')).body.description, 'A library')
    t.match(await call('POST', '/bank', bank), { status: 200, body: { created: { questions: [] }, updated: { questions: [] }, conflicts: [] } }, 'and then it is unchanged')

    const datasetChanged = copy(bank)
    datasetChanged.questions[3].datasets[1] = datasetChanged.questions[4].datasets[0]
    t.match(await call('POST', '/bank?mode=replace', datasetChanged), { status: 200, body: { updated: { questions: [], datasets: ['4/2'] } } }, 'a dataset changed in place keeps its position')
  })

  t.test('a replaced schema must still serve the stored questions the bank leaves alone', async t => {
    const bank = { version: 1, schemas: [{ ...copy(seeded.schemas[2]), initial_sql: 'CREATE TABLE products (name TEXT, price REAL);' }], questions: [] }
    t.match(await call('POST', '/bank?mode=replace', bank), { status: 400, body: { message: /^question 1 \(stored, not in the bank\) on the new SQL of schema shop: / } })
  })

  t.test('bad banks and bad options: 400 with a message', async t => {
    t.match(await call('POST', '/bank', { ...seeded, version: 2 }), { status: 400, body: { message: /^body\/version: |^version: / } })
    t.match(await call('POST', '/bank', { version: 1, schemas: [] }), { status: 400, body: { message: 'questions: is required' } })
    t.match(await call('POST', '/bank', { ...seeded, questions: [{ ...seeded.questions[0], id: 'one' }] }), { status: 400, body: { message: 'questions.0.id: is not a valid id' } })
    t.match(await call('POST', '/bank', { ...seeded, questions: [seeded.questions[0], seeded.questions[0]] }), { status: 400, body: { message: 'questions: the id 1 is used more than once' } })
    t.match(await call('POST', '/bank', { ...seeded, schemas: [seeded.schemas[0], seeded.schemas[0]] }), { status: 400, body: { message: 'schemas: the id library is used more than once' } })
    t.match(await call('POST', '/bank', { version: 1, schemas: [], questions: [{ ...seeded.questions[0], id: '800', schema_id: 'nowhere' }] }),
      { status: 400, body: { message: 'question 800: schema_id: schema nowhere is neither in the bank nor in the database' } })
    t.match(await call('POST', '/bank?mode=overwrite', seeded), { status: 400, body: { message: 'mode: must be one of merge, replace' } })
    t.match(await call('POST', '/bank?dry_run=perhaps', seeded), { status: 400, body: { message: /^dry_run: / } })
    t.match(await call('POST', '/bank', '[1, 2'), { status: 400 })
  })
})
