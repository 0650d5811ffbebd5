import t from 'tap'
import type { ClientBase } from 'pg'
import { migrate } from '../../lib/migrations.ts'
import { loadSeeds, isCatalogueEmpty, readSeedBank } from '../../lib/seed.ts'
import { answerVariants } from '../../seeds/answer-variants.ts'
import { importBank } from '../../services/questions/lib/bank.ts'
import { pgDatabase } from '../../services/questions/lib/pg-database.ts'
import { inProcessAnalyser } from '../../scripts/in-process-analyser.ts'
import { compareResults, hasOuterOrderBy } from '../../services/dbrunner/lib/grading.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import type { QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import { createTestDatabase, withClient } from '../helpers/database.ts'

const seedQuestions = readSeedBank().questions

const catalogueCounts = async (client: ClientBase) => (await client.query(`SELECT (SELECT count(*)::int FROM schemas) AS schemas,
  (SELECT count(*)::int FROM questions) AS questions, (SELECT count(*)::int FROM hidden_datasets) AS datasets`)).rows[0]

t.test('seeds load twice without duplicates, with the bank\'s ids', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await withClient(url, async client => {
    t.ok(await isCatalogueEmpty(client))
    const first = await loadSeeds(client)
    t.ok(first.schemas >= 3, `${first.schemas} schemas`)
    t.ok(first.questions >= 12, `${first.questions} questions`)
    t.ok(first.datasets >= first.questions, `${first.datasets} hidden datasets attached`)
    const second = await loadSeeds(client)
    t.same(second, { schemas: 0, questions: 0, datasets: 0 }, 'the second load inserts nothing')
    t.same(await catalogueCounts(client), first)
    t.notOk(await isCatalogueEmpty(client))

    const { rows: ids } = await client.query('SELECT id, title FROM questions ORDER BY id')
    t.same(ids.map(row => row.id), seedQuestions.map((_, i) => String(i + 1)), 'ids 1..n in the order of the bank')
    t.same(ids.map(row => row.title), seedQuestions.map(question => question.title))
    t.match(ids.slice(0, 2).map(row => row.title), ['Electronics under 100', 'Three most expensive products'], 'the first two are the shop questions the tests use')
    const { rows: [next] } = await client.query(`INSERT INTO questions (schema_id, type, difficulty, title, answer) VALUES ('shop', 'x', 'easy', 'later', 'SELECT 1') RETURNING id`)
    t.equal(next.id, String(seedQuestions.length + 1), 'a question created later takes the next id')
    await client.query('DELETE FROM questions WHERE id = $1', [next.id])

    const { rows: difficulties } = await client.query('SELECT DISTINCT difficulty FROM questions ORDER BY 1')
    t.same(difficulties.map(row => row.difficulty), ['easy', 'hard', 'medium'])
    const { rows: [types] } = await client.query('SELECT count(DISTINCT type)::int AS n FROM questions')
    t.ok(types.n >= 5, 'several question types')
    const { rows: [videos] } = await client.query('SELECT count(solution_video)::int AS n FROM questions')
    t.ok(videos.n >= 1, 'some questions have a solution video')
  })
})

t.test('every seeded question has hidden datasets, each attached once', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await withClient(url, async client => {
    const first = await loadSeeds(client)
    const { rows: perQuestion } = await client.query(`SELECT q.title, count(h.id)::int AS n, count(DISTINCT h.initial_sql)::int AS distinct_sql
      FROM questions q LEFT JOIN hidden_datasets h ON h.question_id = q.id GROUP BY q.id, q.title`)
    t.equal(perQuestion.length, seedQuestions.length)
    for (const row of perQuestion) {
      t.ok(row.n >= 1, `"${row.title}" has ${row.n} hidden datasets`)
      t.equal(row.distinct_sql, row.n, `"${row.title}" has no dataset twice`)
    }

    // A database seeded before the datasets existed gets them, once.
    await client.query('DELETE FROM hidden_datasets')
    t.same(await loadSeeds(client), { schemas: 0, questions: 0, datasets: first.datasets }, 'existing questions get their datasets')
    t.same(await loadSeeds(client), { schemas: 0, questions: 0, datasets: 0 }, 'and nothing more on the next run')
    t.same(await catalogueCounts(client), first)

    // A seeded question a teacher has changed since is left alone.
    const { rows: [edited] } = await client.query(`UPDATE questions SET answer = 'SELECT name FROM products'
      WHERE title = 'Electronics under 100' RETURNING id`)
    await client.query('DELETE FROM hidden_datasets WHERE question_id = $1', [edited.id])
    t.same(await loadSeeds(client), { schemas: 0, questions: 0, datasets: 0 }, 'no dataset for an edited answer')
    const { rows: [kept] } = await client.query('SELECT answer FROM questions WHERE id = $1', [edited.id])
    t.equal(kept.answer, 'SELECT name FROM products', 'and the edit stays')
  })
})

t.test('seeding a catalogue that teachers started keeps their records', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await withClient(url, async client => {
    await client.query(`INSERT INTO schemas (id, description, initial_sql) VALUES ('shop', 'our own shop', 'CREATE TABLE products (name TEXT, price REAL);')`)
    await client.query(`INSERT INTO questions (schema_id, type, difficulty, title, answer) VALUES ('shop', 'filtering', 'easy', 'Our question', 'SELECT name FROM products')`)
    const loaded = await loadSeeds(client)
    const shopQuestions = seedQuestions.filter(question => question.schema_id === 'shop').length
    t.equal(loaded.schemas, 2, 'the other schemas are added')
    t.equal(loaded.questions, seedQuestions.length - shopQuestions, 'no seed question is put on a schema the teachers made their own')
    const { rows } = await client.query(`SELECT q.id, q.title, s.description FROM questions q JOIN schemas s ON s.id = q.schema_id WHERE q.schema_id = 'shop'`)
    t.same(rows, [{ id: '1', title: 'Our question', description: 'our own shop' }], 'their schema and question are as they were')
  })
})

t.test('the seed bank passes the checks an import runs', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await withClient(url, async client => {
    const lines: string[] = []
    const report = await importBank(pgDatabase(client), readSeedBank(), { mode: 'merge', dryRun: true, analyser: await inProcessAnalyser(), progress: line => lines.push(line) })
    t.equal(report.created.questions.length, seedQuestions.length, 'every schema builds and every question passes its self-test')
    t.equal(lines.filter(line => / self-test passed;/.test(line)).length, seedQuestions.length)
    t.same(await catalogueCounts(client), { schemas: 0, questions: 0, datasets: 0 }, 'a dry run writes nothing')
  })
})

t.test('every seeded answer runs on SQLite and gives a non-trivial result', async t => {
  const url = await createTestDatabase(t)
  await migrate(url)
  await loadEngine()
  await withClient(url, async client => {
    await loadSeeds(client)
    const { rows: schemas } = await client.query('SELECT id, initial_sql FROM schemas')
    for (const schema of schemas) {
      const image = buildImage(schema.initial_sql)
      const tables = runQuery(image, `SELECT name FROM sqlite_master WHERE type = 'table'`).rows.map(row => String(row[0]))
      t.ok(tables.length >= 3, `${schema.id} has ${tables.length} tables`)
      const largest = Math.max(...tables.map(name => Number(runQuery(image, `SELECT count(*) FROM "${name}"`).rows[0][0])))
      t.ok(largest >= 8, `${schema.id}: the main table has ${largest} rows`)
    }
    const { rows: questions } = await client.query('SELECT q.title, q.answer, s.initial_sql FROM questions q JOIN schemas s ON s.id = q.schema_id')
    for (const question of questions) {
      const result = runQuery(buildImage(question.initial_sql), question.answer)
      t.ok(result.header.length >= 1 && result.rows.length >= 1, `"${question.title}" returns rows`)
    }
  })
})

interface SeededQuestion {
  title: string
  answer: string
  schema: string
  schemaSql: string
  datasets: { name: string, sql: string }[]
}

// The seeded questions as stored, with their hidden datasets (named by
// schema and order of first use in the bank, e.g. shop dataset 2).
async function seededQuestions (t: { teardown: (fn: () => unknown) => void }): Promise<SeededQuestion[]> {
  const fileOf = new Map<string, string>()
  for (const question of seedQuestions) {
    for (const sql of question.datasets) {
      if (!fileOf.has(sql)) fileOf.set(sql, `${question.schema_id} dataset ${[...fileOf.values()].filter(name => name.startsWith(`${question.schema_id} `)).length + 1}`)
    }
  }
  const url = await createTestDatabase(t)
  await migrate(url)
  return withClient(url, async client => {
    await loadSeeds(client)
    const { rows } = await client.query(`SELECT q.title, q.answer, s.id AS schema, s.initial_sql AS schema_sql,
      array_agg(h.initial_sql ORDER BY h.id) AS datasets
      FROM questions q JOIN schemas s ON s.id = q.schema_id JOIN hidden_datasets h ON h.question_id = q.id
      GROUP BY q.id, s.id ORDER BY q.id`)
    return rows.map(row => ({
      title: row.title,
      answer: row.answer,
      schema: row.schema,
      schemaSql: row.schema_sql,
      datasets: row.datasets.map((sql: string) => ({ name: fileOf.get(sql) ?? 'a dataset not in the seed bank', sql }))
    }))
  })
}

const imageCache = new Map<string, Uint8Array>()
const imageOf = (sql: string): Uint8Array => {
  if (!imageCache.has(sql)) imageCache.set(sql, buildImage(sql))
  return imageCache.get(sql)!
}
const rowsOf = (image: Uint8Array, query: string): string => JSON.stringify(runQuery(image, query).rows)
const tryRun = (image: Uint8Array, query: string): QueryResult | null => {
  try {
    return runQuery(image, query)
  } catch {
    return null
  }
}

t.test('hidden datasets: the schema\'s tables, other rows, answers that change', async t => {
  await loadEngine()
  const questions = await seededQuestions(t)
  t.equal(questions.length, seedQuestions.length, 'every seeded question has a hidden dataset')

  t.test('each dataset creates the schema\'s tables exactly, within its constraints, small', async t => {
    const seen = new Set<string>()
    for (const question of questions) {
      const schema = imageOf(question.schemaSql)
      for (const dataset of question.datasets) {
        if (seen.has(dataset.sql)) continue
        seen.add(dataset.sql)
        const image = imageOf(dataset.sql)
        const columns = `SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2`
        t.equal(rowsOf(image, columns), rowsOf(schema, columns), `${dataset.name}: same tables, columns and types`)
        const statements = 'SELECT type, name, sql FROM sqlite_master ORDER BY name'
        t.equal(rowsOf(image, statements), rowsOf(schema, statements), `${dataset.name}: the same CREATE statements, constraints included`)
        t.equal(rowsOf(image, 'PRAGMA foreign_key_check'), '[]', `${dataset.name}: every reference finds its row`)
        const tables = runQuery(image, `SELECT name FROM sqlite_master WHERE type = 'table'`).rows.map(row => String(row[0]))
        for (const table of tables) {
          const count = Number(runQuery(image, `SELECT count(*) FROM "${table}"`).rows[0][0])
          t.ok(count >= 1 && count <= 32, `${dataset.name}: ${table} has ${count} rows`)
        }
      }
    }
    t.ok(seen.size >= 3, `${seen.size} distinct datasets`)
  })

  t.test('each reference answer gives rows on each dataset, and not the visible result', async t => {
    for (const question of questions) {
      const ordered = hasOuterOrderBy(question.answer)
      const visible = runQuery(imageOf(question.schemaSql), question.answer)
      for (const dataset of question.datasets) {
        const hidden = runQuery(imageOf(dataset.sql), question.answer)
        t.ok(hidden.header.length >= 1 && hidden.rows.length >= 1, `"${question.title}" on ${dataset.name}: ${hidden.rows.length} rows`)
        t.notOk(compareResults(visible, hidden, { ordered }).same, `"${question.title}": copying the visible rows fails on ${dataset.name}`)
      }
    }
  })

  t.test('right answers pass everywhere; plausible wrong ones fail somewhere', async t => {
    for (const question of questions) {
      const variants = answerVariants[question.title]
      if (!variants) {
        t.fail(`"${question.title}" has no answer variants in seeds/answer-variants.ts`)
        continue
      }
      t.ok(variants.wrong.length >= 3 && variants.right.length >= 1, `"${question.title}": ${variants.wrong.length} wrong, ${variants.right.length} right answers`)
      const ordered = hasOuterOrderBy(question.answer)
      const databases = [{ name: `${question.schema} (visible)`, sql: question.schemaSql }, ...question.datasets]
      const expected = databases.map(database => runQuery(imageOf(database.sql), question.answer))
      const failsOn = (query: string) => databases.filter((database, i) => {
        const actual = tryRun(imageOf(database.sql), query)
        return actual === null || !compareResults(expected[i], actual, { ordered }).same
      }).map(database => database.name)
      for (const query of variants.right) t.same(failsOn(query), [], `"${question.title}": right answer passes: ${query}`)
      for (const query of variants.wrong) t.not(failsOn(query).length, 0, `"${question.title}": wrong answer fails: ${query}`)
    }
  })
})

t.test('the seed catalogue catches 95 % of each question\'s mutants but those judged equivalent, each judged with a reason', async t => {
  const { qualityReport } = await import('../../services/dbrunner/lib/quality.ts')
  const { runSql } = await import('../runner/in-process-sql.ts')
  const bank = readSeedBank()
  for (const question of bank.questions) {
    const database = bank.schemas.find(schema => schema.id === question.schema_id)!.initial_sql
    const report = await qualityReport(runSql, { database, datasets: question.datasets, answer: question.answer, settings: question.grading, equivalentMutants: question.equivalent_mutants })
    t.ok(report.mutants.score >= 0.95, `"${question.title}": score ${report.mutants.score} (${report.mutants.killed} of ${report.mutants.total - report.mutants.equivalent})`)
    t.equal(report.equivalent.length, question.equivalent_mutants.length, `"${question.title}": every mutant judged equivalent is one the data lets through`)
    t.ok(question.equivalent_mutants.every(mutant => mutant.reason.length >= 20 && !mutant.reason.includes('\n')), `"${question.title}": a one-line reason for each`)
  }
})
