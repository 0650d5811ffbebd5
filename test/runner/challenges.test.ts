import t from 'tap'
import { randomBytes } from 'node:crypto'
import { HttpError } from '../../lib/http-error.ts'
import { encodeChallengeId } from '../../services/dbrunner/lib/challenge-id.ts'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { compareChallenge, createChallenge, createChallengeDeps, readChallenge, schemaStructure, type ChallengeDeps } from '../../services/dbrunner/lib/challenges.ts'
import { createMemoryCache } from '../../services/dbrunner/lib/result-cache.ts'
import type { QuestionsClient } from '../../services/dbrunner/lib/questions-client.ts'

const shop = `CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL);
INSERT INTO products VALUES (1, 'Laptop', 999.0), (2, 'Mouse', 19.5), (3, 'Cable', NULL), (4, 'Mouse', 19.5);`

const schemas: Record<string, string> = { shop, broken: 'CREATE TABLE oops (' }
const questions: Record<string, { schemaId: string, answer: string }> = {
  1: { schemaId: 'shop', answer: 'SELECT name, price FROM products WHERE price < 100' },
  2: { schemaId: 'shop', answer: 'SELECT name FROM products ORDER BY price DESC, id' },
  3: { schemaId: 'broken', answer: 'SELECT 1' },
  4: { schemaId: 'shop', answer: 'SELECT secret_column FROM products' }
}

const fakeQuestions: QuestionsClient = {
  question: async id => questions[id] ? { id, ...questions[id] } : null,
  schema: async id => schemas[id] ? { id, initialSql: schemas[id] } : null,
  datasets: async () => [],
  recordSubmission: async () => {}
}

function setup (t: { teardown: (fn: () => unknown) => void }) {
  const pool = new ExecutionPool({ size: 2 })
  let runs = 0
  const errors: object[] = []
  const deps: ChallengeDeps = createChallengeDeps({
    questions: fakeQuestions,
    cache: createMemoryCache(),
    runner: { run: job => { runs++; return pool.run(job) } },
    log: { error: (obj: object) => { errors.push(obj) } }
  })
  t.teardown(() => pool.close())
  return { deps, runs: () => runs, errors }
}

async function status (promise: Promise<unknown>): Promise<number> {
  try {
    await promise
    return 200
  } catch (error) {
    if (error instanceof HttpError) return error.statusCode
    throw error
  }
}

t.test('a challenge runs once, is read back, and equivalent spellings share it', async t => {
  const { deps, runs } = setup(t)
  const id = await createChallenge(deps, '1', 'SELECT name, price FROM products WHERE price < 100')
  t.match(id, /^[A-Za-z0-9_-]+$/, 'the id is URL-safe')
  t.same(await readChallenge(deps, id), { header: ['name', 'price'], rows: [['Mouse', '19.5'], ['Mouse', '19.5']] })
  const again = await createChallenge(deps, '1', 'select name,   price\nfrom products -- cheap ones\nwhere price < 100;')
  t.equal(again, id, 'keyword case, whitespace, comments and a trailing semicolon share one challenge')
  t.equal(runs(), 1, 'and cost no second execution')
  const other = await createChallenge(deps, '1', "SELECT name, price FROM products WHERE name = 'mouse'")
  t.not(other, id)
  t.equal(runs(), 2)
})

t.test('identical runs in flight at once execute once', async t => {
  const { deps, runs } = setup(t)
  const ids = await Promise.all(Array.from({ length: 8 }, () => createChallenge(deps, '1', 'SELECT count(*) FROM products')))
  t.equal(new Set(ids).size, 1)
  t.equal(runs(), 1, 'single flight')
})

t.test('grading through challenges', async t => {
  const { deps } = setup(t)
  const same = await createChallenge(deps, '1', 'SELECT name AS n, price AS p FROM products WHERE price < 100')
  t.same(await compareChallenge(deps, same), { same: true }, 'aliases do not matter')

  const fewer = await createChallenge(deps, '1', "SELECT name, price FROM products WHERE name = 'Mouse' LIMIT 1")
  t.match(await compareChallenge(deps, fewer), { same: false, reason: 'row count differs' })

  const columns = await createChallenge(deps, '1', 'SELECT name FROM products WHERE price < 100')
  t.match(await compareChallenge(deps, columns), { same: false, reason: 'columns differ' })

  const unordered = await createChallenge(deps, '2', 'SELECT name FROM products ORDER BY id')
  t.match(await compareChallenge(deps, unordered), { same: false, reason: 'order differs' }, 'order matters when the answer ends with ORDER BY')

  const hardcoded = await createChallenge(deps, '1', "SELECT 'Mouse', '19.5' UNION ALL SELECT 'Mouse', '19.5'")
  t.same(await compareChallenge(deps, hardcoded), { same: true }, 'values compare as text, as SQLite prints them')
})

t.test('errors are clear and never reveal the reference answer', async t => {
  const { deps, errors } = setup(t)
  t.equal(await status(createChallenge(deps, '99', 'SELECT 1')), 404, 'unknown question')
  t.equal(await status(createChallenge(deps, '1', '   ')), 400, 'empty query')
  await t.rejects(createChallenge(deps, '1', 'SELECT * FROM nope'), { statusCode: 422, message: 'no such table: nope' })
  await t.rejects(createChallenge(deps, '1', 'SELEC 1'), { statusCode: 422, message: /syntax error/ })
  t.equal(await status(readChallenge(deps, 'not-an-id')), 400, 'malformed id')
  t.equal(await status(readChallenge(deps, encodeChallengeId({ questionId: '1', inputHash: randomBytes(32).toString('base64url') }))), 404, 'unknown id')

  await t.rejects(createChallenge(deps, '3', 'SELECT 1'), { statusCode: 500, message: /schema does not build/ }, 'a broken schema is a server-side error')
  t.match(errors.at(-1), { questionId: '3', engineMessage: /incomplete input|syntax error/ }, 'logged with the engine message for the teachers')

  const id = await createChallenge(deps, '4', 'SELECT name FROM products')
  const failure = await compareChallenge(deps, id).catch(error => error)
  t.match(failure, { statusCode: 500, message: /reference answer does not run/ }, 'a failing reference answer is never a verdict')
  t.notMatch(failure.message, /secret_column/, 'and its text stays hidden')
  t.match(errors.at(-1), { questionId: '4', engineMessage: /secret_column/ })
})

t.test('the structure of a schema', async t => {
  const { deps } = setup(t)
  const structure = await schemaStructure(deps, 'shop')
  t.same(structure, {
    id: 'shop',
    tables: [{
      name: 'products',
      columns: [
        { name: 'id', type: 'INTEGER', primary_key: true, not_null: false },
        { name: 'name', type: 'TEXT', primary_key: false, not_null: true },
        { name: 'price', type: 'REAL', primary_key: false, not_null: false }
      ]
    }]
  })
  t.equal(await status(schemaStructure(deps, 'nope')), 404)
})
