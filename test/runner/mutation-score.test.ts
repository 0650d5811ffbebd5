import t from 'tap'
import { compareResults, hasOuterOrderBy } from '../../services/dbrunner/lib/grading.ts'
import { mutants } from '../../services/dbrunner/lib/mutation.ts'
import { AnswerFailsError, mutationScore } from '../../services/dbrunner/lib/mutation-score.ts'
import type { RunSql } from '../../services/dbrunner/lib/mutation-score.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import type { QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import { readSeedBank, seedSchemaSql } from '../../lib/seed.ts'

const seedQuestions = readSeedBank().questions

await loadEngine()

// Runs SQL in process on the real engine, each database built once.
function engineRunner (): { runSql: RunSql, runs: () => number } {
  const images = new Map<string, Uint8Array>()
  let runs = 0
  const runSql: RunSql = async (database, query) => {
    runs++
    let image = images.get(database)
    if (image === undefined) {
      image = buildImage(database)
      images.set(database, image)
    }
    try {
      return runQuery(image, query)
    } catch (error) {
      return { error: (error as Error).message }
    }
  }
  return { runSql, runs: () => runs }
}

const sameFor = (answer: string) => {
  const ordered = hasOuterOrderBy(answer)
  return (expected: QueryResult, actual: QueryResult) => compareResults(expected, actual, { ordered }).same
}

const TABLE = 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL);'
const visible = `${TABLE} INSERT INTO items VALUES (1, 'pen', 5), (2, 'lamp', 20), (3, 'mug', 15);`
// Rows on and next to the boundary, and a name twice.
const boundary = `${TABLE} INSERT INTO items VALUES (1, 'cup', 10), (2, 'tea', 9), (3, 'tea', 9);`
// Other rows, as thin as the visible ones.
const thin = `${TABLE} INSERT INTO items VALUES (1, 'box', 2), (2, 'bag', 30);`
const answer = 'SELECT name FROM items WHERE price < 10'

t.test('the mutants of the small question', async t => {
  t.same(mutants(answer), [
    { operator: 'comparison', query: 'SELECT name FROM items WHERE price <= 10' },
    { operator: 'where-conjunct', query: 'SELECT name FROM items' },
    { operator: 'distinct', query: 'SELECT DISTINCT name FROM items WHERE price < 10' },
    { operator: 'constant', query: 'SELECT name FROM items WHERE price < 11' },
    { operator: 'constant', query: 'SELECT name FROM items WHERE price < 9' }
  ])
})

t.test('thin data: only the dropped WHERE is told apart', async t => {
  const { runSql } = engineRunner()
  const score = await mutationScore({ databases: [visible, thin], answer, runSql, same: sameFor(answer) })
  t.same(score, {
    total: 5,
    killed: 1,
    survived: 4,
    score: 0.2,
    survivors: [
      { operator: 'comparison', query: 'SELECT name FROM items WHERE price <= 10' },
      { operator: 'distinct', query: 'SELECT DISTINCT name FROM items WHERE price < 10' },
      { operator: 'constant', query: 'SELECT name FROM items WHERE price < 11' },
      { operator: 'constant', query: 'SELECT name FROM items WHERE price < 9' }
    ],
    killedBy: { 0: 1, 1: 0 }
  })
})

t.test('a dataset with boundary rows kills < versus <= and the rest', async t => {
  const { runSql } = engineRunner()
  const score = await mutationScore({ databases: [visible, thin, boundary], answer, runSql, same: sameFor(answer) })
  t.same(score, { total: 5, killed: 5, survived: 0, score: 1, survivors: [], killedBy: { 0: 1, 1: 0, 2: 4 } })
})

t.test('a mutant is run until the first database kills it, the answer once per database', async t => {
  const { runSql, runs } = engineRunner()
  await mutationScore({ databases: [visible, thin, boundary], answer, runSql, same: sameFor(answer) })
  // answer: 3; the dropped WHERE: 1 (killed on the visible data); four others: 3 each
  t.equal(runs(), 3 + 1 + 4 * 3)
})

t.test('a mutant that fails where the answer runs is killed', async t => {
  const grouped = 'SELECT g FROM t GROUP BY g HAVING g > 1'
  const database = 'CREATE TABLE t (g INTEGER); INSERT INTO t VALUES (1), (2), (2), (3);'
  const { runSql } = engineRunner()
  const dropped = 'SELECT g FROM t HAVING g > 1'
  t.ok('error' in await runSql(database, dropped), 'HAVING without GROUP BY on a query without aggregates fails')
  const score = await mutationScore({ databases: [database], answer: grouped, runSql, same: sameFor(grouped) })
  t.notOk(score.survivors.some(s => s.query === dropped))
  t.ok(mutants(grouped).some(m => m.query === dropped))

  // A hidden dataset where every mutant times out kills all the survivors of the visible one.
  const timingOut: RunSql = async (db, query) => db === 'slow' && query !== answer ? { error: 'query timeout (takes more than 1 second)' } : runSql(db === 'slow' ? visible : db, query)
  const slow = await mutationScore({ databases: [visible, 'slow'], answer, runSql: timingOut, same: sameFor(answer) })
  t.same([slow.killed, slow.killedBy], [5, { 0: 1, 1: 4 }])
})

t.test('the answer must run on every database', async t => {
  const { runSql } = engineRunner()
  const broken = 'CREATE TABLE other (x);'
  await t.rejects(mutationScore({ databases: [visible, broken], answer, runSql, same: sameFor(answer) }),
    new AnswerFailsError(1, 'no such table: items'))
})

t.test('no mutants: score 1', async t => {
  const { runSql } = engineRunner()
  const count = 'SELECT COUNT(*) FROM items'
  t.same(await mutationScore({ databases: [visible], answer: count, runSql, same: sameFor(count) }),
    { total: 0, killed: 0, survived: 0, score: 1, survivors: [], killedBy: { 0: 0 } })
})

t.test('max caps the mutants tried; concurrency does not change the outcome', async t => {
  const { runSql } = engineRunner()
  const question = seedQuestions.find(q => q.title === 'Students with missing grades')!
  const school = seedSchemaSql('school')
  const input = { databases: [school, school, school, school], answer: question.answer, runSql, same: sameFor(question.answer) }
  const one = await mutationScore({ ...input, concurrency: 1 })
  t.same(await mutationScore({ ...input, concurrency: 8 }), one)
  t.equal(one.total, mutants(question.answer).length)
  // the same data four times: nothing is killed after the first
  t.same(Object.values(one.killedBy).slice(1), [0, 0, 0])
  const capped = await mutationScore({ ...input, max: 5 })
  t.equal(capped.total, 5)
})

t.test('every seed question on its visible data', async t => {
  const { runSql } = engineRunner()
  for (const question of seedQuestions) {
    const schema = seedSchemaSql(question.schema_id)
    const score = await mutationScore({ databases: [schema], answer: question.answer, runSql, same: sameFor(question.answer) })
    t.ok(score.total > 0 && score.total <= 100, `${question.title}: ${score.killed} of ${score.total} killed`)
    t.equal(score.killed + score.survived, score.total)
    t.equal(score.killedBy[0], score.killed)
    t.equal(score.score, score.killed / score.total)
    t.same(score.survivors.map(s => s.query), mutants(question.answer).map(m => m.query).filter(q => score.survivors.some(s => s.query === q)))
  }
})
