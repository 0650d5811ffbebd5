import t from 'tap'
import { readSeedBank, seedSchemaSql } from '../../lib/seed.ts'
import { readSchema, readTableRows } from '../../services/dbrunner/lib/database-dump.ts'
import { generateDatasets, type ProposedDataset } from '../../services/dbrunner/lib/dataset-generator.ts'
import { tieBreakingVariants } from '../../services/dbrunner/lib/answer-ties.ts'
import { valuesAround } from '../../services/dbrunner/lib/boundary-values.ts'
import { readComparisons } from '../../services/dbrunner/lib/query-comparisons.ts'
import type { RunSql } from '../../services/dbrunner/lib/sql-literals.ts'
import type { QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import { seedWrongAnswers } from './fixtures/seed-wrong-answers.ts'
import { runSql, sameUnordered } from './in-process-sql.ts'

const seedQuestions = readSeedBank().questions
const seed = seedSchemaSql

// A schema with every kind of constraint: NOT NULL, UNIQUE (one column and
// two), PRIMARY KEY (rowid, composite), foreign keys (one column and
// composite, to a UNIQUE parent key), and CHECKs right at the constants the
// questions compare with.
const CLUB = `
CREATE TABLE clubs (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 3 AND code = upper(code)),
  name TEXT NOT NULL,
  founded INTEGER CHECK (founded BETWEEN 1850 AND 2025)
);
CREATE TABLE players (
  id INTEGER PRIMARY KEY,
  club_id INTEGER NOT NULL REFERENCES clubs(id),
  name TEXT NOT NULL CHECK (name <> ''),
  shirt INTEGER NOT NULL CHECK (shirt BETWEEN 1 AND 99),
  email TEXT UNIQUE CHECK (email LIKE '%_@_%'),
  rating REAL CHECK (rating BETWEEN 0 AND 10),
  UNIQUE (club_id, shirt)
);
CREATE TABLE matches (
  home_id INTEGER NOT NULL REFERENCES clubs(id),
  away_id INTEGER NOT NULL REFERENCES clubs(id),
  played_on TEXT NOT NULL CHECK (played_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  home_goals INTEGER NOT NULL CHECK (home_goals >= 0),
  away_goals INTEGER NOT NULL CHECK (away_goals >= 0),
  PRIMARY KEY (home_id, away_id, played_on),
  CHECK (home_id <> away_id)
);
CREATE TABLE captains (
  club_id INTEGER PRIMARY KEY REFERENCES clubs(id),
  shirt INTEGER NOT NULL,
  since TEXT,
  FOREIGN KEY (club_id, shirt) REFERENCES players(club_id, shirt)
);
INSERT INTO clubs VALUES (1, 'ARS', 'Arsenal', 1886), (2, 'LIV', 'Liverpool', 1892), (3, 'BAR', 'Barcelona', 1899), (4, 'AJX', 'Ajax', 1900);
INSERT INTO players VALUES
  (1, 1, 'Ada', 10, 'ada@club.org', 8.5), (2, 1, 'Ben', 7, NULL, 6.0), (3, 2, 'Cy', 9, 'cy@club.org', 7.0),
  (4, 2, 'Dee', 10, 'dee@club.org', 9.1), (5, 2, 'Eli', 4, NULL, NULL), (6, 3, 'Fay', 10, 'fay@club.org', 7.8),
  (7, 3, 'Gus', 1, 'gus@club.org', 5.5), (8, 4, 'Hal', 10, NULL, 6.9), (9, 4, 'Ida', 8, 'ida@club.org', 7.2),
  (10, 1, 'Jo', 11, 'jo@club.org', 3.0);
INSERT INTO matches VALUES
  (1, 2, '2024-08-10', 2, 1), (2, 3, '2024-08-17', 0, 0), (3, 1, '2024-08-24', 1, 3), (4, 1, '2024-08-31', 2, 2),
  (2, 1, '2024-09-07', 1, 0), (3, 4, '2024-09-14', 4, 1), (1, 3, '2024-09-21', 0, 1), (4, 2, '2024-09-28', 3, 0);
INSERT INTO captains VALUES (1, 10, '2023-07-01'), (2, 10, NULL), (3, 10, '2022-01-01');
`
const clubQuestions = [
  {
    answer: 'SELECT p.name, c.code FROM players p JOIN clubs c ON c.id = p.club_id WHERE p.rating >= 7.5 AND c.founded < 1900',
    wrong: [
      'SELECT p.name, c.code FROM players p JOIN clubs c ON c.id = p.club_id WHERE p.rating > 7.5 AND c.founded < 1900',
      'SELECT p.name, c.code FROM players p JOIN clubs c ON c.id = p.club_id WHERE p.rating >= 7.5 AND c.founded <= 1900',
      'SELECT p.name, c.code FROM players p JOIN clubs c ON c.id = p.club_id WHERE p.rating >= 7.5',
      'SELECT p.name, c.code FROM players p JOIN clubs c ON c.id = p.club_id WHERE p.rating >= 7.5 AND c.founded < 1900 AND p.email IS NOT NULL'
    ]
  },
  {
    answer: 'SELECT c.name, COUNT(p.id) AS players FROM clubs c LEFT JOIN players p ON p.club_id = c.id GROUP BY c.id, c.name',
    wrong: [
      'SELECT c.name, COUNT(*) AS players FROM clubs c LEFT JOIN players p ON p.club_id = c.id GROUP BY c.id, c.name',
      'SELECT c.name, COUNT(p.id) AS players FROM clubs c JOIN players p ON p.club_id = c.id GROUP BY c.id, c.name',
      'SELECT c.name, COUNT(p.id) AS players FROM clubs c LEFT JOIN players p ON p.club_id = c.id GROUP BY c.name'
    ]
  },
  {
    answer: 'SELECT c.code, p.name FROM captains k JOIN clubs c ON c.id = k.club_id JOIN players p ON p.club_id = k.club_id AND p.shirt = k.shirt',
    wrong: [
      'SELECT c.code, p.name FROM captains k JOIN clubs c ON c.id = k.club_id JOIN players p ON p.club_id = k.club_id WHERE p.shirt = 10',
      'SELECT c.code, p.name FROM clubs c JOIN players p ON p.club_id = c.id WHERE p.shirt = 10 AND c.founded < 1900'
    ]
  },
  {
    answer: 'SELECT h.code, a.code, m.played_on FROM matches m JOIN clubs h ON h.id = m.home_id JOIN clubs a ON a.id = m.away_id WHERE m.home_goals - m.away_goals >= 2',
    wrong: [
      'SELECT h.code, a.code, m.played_on FROM matches m JOIN clubs h ON h.id = m.home_id JOIN clubs a ON a.id = m.away_id WHERE m.home_goals - m.away_goals > 2',
      'SELECT h.code, a.code, m.played_on FROM matches m JOIN clubs h ON h.id = m.home_id JOIN clubs a ON a.id = m.away_id WHERE m.home_goals >= 3'
    ]
  }
]

async function run (database: string, query: string): Promise<QueryResult> {
  const result = await runSql(database, query)
  if ('error' in result) throw new Error(result.error)
  return result
}

/** The targets a database tells apart from the answer, checked afresh. */
async function killedOn (database: string, answer: string, targets: string[]): Promise<string[]> {
  const expected = await run(database, answer)
  const killed: string[] = []
  for (const target of targets) {
    const actual = await runSql(database, target)
    if ('error' in actual || !sameUnordered(expected, actual)) killed.push(target)
  }
  return killed
}

/** What every proposal must be: within the schema's constraints and the row bound, with rows from the answer, its kills exact. Returns what is wrong. */
async function problemsOf (database: string, answer: string, targets: string[], proposals: ProposedDataset[], maxRows = 32): Promise<string[]> {
  const schema = await readSchema(runSql, database)
  const problems: string[] = []
  const expect = (ok: boolean, problem: string) => { if (!ok) problems.push(problem) }
  for (const [i, { initial_sql: sql, kills }] of proposals.entries()) {
    expect((await run(sql, 'PRAGMA foreign_key_check')).rows.length === 0, `dataset ${i}: a foreign key is broken`)
    expect((await run(sql, 'PRAGMA integrity_check')).rows[0][0] === 'ok', `dataset ${i}: NOT NULL, CHECK, UNIQUE or PRIMARY KEY broken`)
    expect(!('error' in await runSql(`PRAGMA foreign_keys = ON;\n${sql}`, 'SELECT 1')), `dataset ${i}: does not build with foreign keys enforced`)
    const catalogue = 'SELECT sql FROM sqlite_master ORDER BY rowid'
    expect(JSON.stringify(await run(sql, catalogue)) === JSON.stringify(await run(database, catalogue)), `dataset ${i}: another schema`)
    for (const table of schema.tables) {
      expect((await readTableRows(runSql, sql, table)).rows.length <= maxRows, `dataset ${i}: more than ${maxRows} rows in ${table.name}`)
    }
    expect((await run(sql, answer)).rows.length > 0, `dataset ${i}: the answer has no rows`)
    expect(JSON.stringify(kills) === JSON.stringify(await killedOn(sql, answer, targets)), `dataset ${i}: kills are not the targets it names`)
  }
  return problems
}

t.test('the constants and columns a query compares are read from its tokens', async t => {
  const schema = await readSchema(runSql, seed('shop'))
  const read = readComparisons(schema, [
    "SELECT p.name FROM products AS p JOIN order_items i ON i.product_id = p.id WHERE p.category = 'electronics' AND 100 > p.price AND p.stock NOT BETWEEN 1 AND 5",
    "SELECT name FROM customers WHERE email IS NULL AND city IN ('Lyon', 'Oslo') AND name NOT LIKE 'A%' AND joined_on >= (SELECT MIN(ordered_on) FROM orders)"
  ])
  t.same(Object.fromEntries([...read.constants.values()].map(({ ref, literals }) => [`${ref.table}.${ref.column}`, [...literals]])), {
    'products.category': ["'electronics'"],
    'products.price': ['100'],
    'products.stock': ['1', '5'],
    'customers.city': ["'Lyon'", "'Oslo'"],
    'customers.name': ["LIKE:'A%'"]
  })
  t.same(read.pairs.map(pair => pair.map(ref => `${ref.table}.${ref.column}`)), [['order_items.product_id', 'products.id']])
  t.same([...read.compared.values()].map(ref => `${ref.table}.${ref.column}`), ['customers.email', 'customers.joined_on'])
  t.same(valuesAround('100', 'REAL'), ['100', '99', '101', '99.5', '100.5'])
  t.same(valuesAround('1970', 'INTEGER'), ['1970', '1969', '1971'])
  t.same(valuesAround("'2024-03-01'", 'TEXT'), ["'2024-03-01'", "'2024-03-01 '", "'2024-02-29'", "'2024-03-02'", "'2024-03-00'", "'2024-03-0'"])
  t.ok(valuesAround("'electronics'", 'TEXT').includes("'ELECTRONICS'"))
  t.ok(valuesAround("LIKE:'A%'", 'TEXT').includes("'A'"))
})

t.test('on every seed question, generated datasets kill the wrong answers the visible data lets through', async t => {
  const report: string[] = []
  for (const question of seedQuestions) {
    const database = seed(question.schema_id)
    const targets = seedWrongAnswers[question.title]
    const visible = await killedOn(database, question.answer, targets)
    t.same(visible, [], `${question.title}: the visible data kills none of the targets`)
    const started = Date.now()
    // A budget far above what a quiet machine needs: the search ends once every target is killed.
    const proposals = await generateDatasets({ database, answer: question.answer, targets, runSql, same: sameUnordered, timeBudgetMs: 30_000 })
    const ms = Date.now() - started
    const killed = new Set([...visible, ...proposals.flatMap(p => p.kills)])
    t.same(targets.filter(target => !killed.has(target)), [], `${question.title}: every target is killed`)
    t.ok(proposals.length >= 1 && proposals.length <= 5, `${question.title}: one to five datasets`)
    t.same(await problemsOf(database, question.answer, targets, proposals), [], `${question.title}: the datasets are sound`)
    report.push(`${question.schema_id} / ${question.title}: ${targets.length} targets, visible kills ${visible.length}, visible + generated ${killed.size}, ${proposals.length} dataset(s), ${ms} ms`)
  }
  t.comment(report.join('\n'))
})

t.test('datasets of a schema with every constraint keep NOT NULL, UNIQUE, PRIMARY KEY, FOREIGN KEY and CHECK', async t => {
  // Candidates the engine refused, by reason: the checks are really used.
  const refused = { check: 0, foreignKey: 0 }
  const recording: RunSql = async (database, query) => {
    const result = await runSql(database, query)
    if (database !== CLUB && 'error' in result && result.error.includes('CHECK constraint failed')) refused.check++
    if (database !== CLUB && query === 'PRAGMA foreign_key_check' && !('error' in result) && result.rows.length > 0) refused.foreignKey++
    return result
  }
  t.same((await run(CLUB, 'PRAGMA foreign_key_check')).rows, [])
  for (const { answer, wrong } of clubQuestions) {
    t.same(await killedOn(CLUB, answer, wrong), [], 'the visible data kills none of the targets')
    const proposals = await generateDatasets({ database: CLUB, answer, targets: wrong, runSql: recording, same: sameUnordered })
    t.same(wrong.filter(target => !proposals.some(p => p.kills.includes(target))), [], 'every target is killed')
    t.same(await problemsOf(CLUB, answer, wrong, proposals), [], 'the datasets keep every constraint')
  }
  t.ok(refused.check > 0, `candidates breaking a CHECK were refused (${refused.check})`)
  t.ok(refused.foreignKey > 0, `candidates breaking a foreign key were refused (${refused.foreignKey})`)
})

t.test('the same input gives the same datasets', async t => {
  const question = seedQuestions.find(q => q.title === 'Who ordered what')!
  const input = { database: seed('shop'), answer: question.answer, targets: seedWrongAnswers[question.title], runSql, same: sameUnordered }
  t.same(await generateDatasets(input), await generateDatasets(input))
})

t.test('the row bound, the dataset bound and the time budget are kept', async t => {
  const question = seedQuestions.find(q => q.title === 'Electronics under 100')!
  const input = { database: seed('shop'), answer: question.answer, targets: seedWrongAnswers[question.title], runSql, same: sameUnordered }
  const small = await generateDatasets({ ...input, maxRowsPerTable: 8 })
  t.ok(small.length > 0)
  t.same(await problemsOf(input.database, input.answer, input.targets, small, 8), [])
  const one = await generateDatasets({ ...input, maxDatasets: 1 })
  t.equal(one.length, 1)
  t.ok(one[0].kills.length >= 1)
  t.same(await generateDatasets({ ...input, timeBudgetMs: 0 }), [], 'no time: nothing proposed')
  t.same(await generateDatasets({ ...input, targets: [] }), [], 'nothing to kill: nothing proposed')
})

t.test('an answer that does not run is refused', async t => {
  await t.rejects(generateDatasets({ database: seed('shop'), answer: 'SELECT nope FROM products', targets: ['SELECT 1'], runSql, same: sameUnordered }),
    /the reference answer does not run on the database: no such column: nope/)
})

t.test('no dataset leaves the answer\'s result to ties or to the order rows are scanned in', async t => {
  // With equal prices, "the most expensive product" is a matter of chance:
  // a dataset with such a tie would fail correct queries, so none is
  // proposed, and the target that differs only there stays alive.
  const answer = 'SELECT name FROM products ORDER BY price DESC LIMIT 1'
  const tieBroken = 'SELECT name FROM products ORDER BY price DESC, name DESC LIMIT 1'
  const wrong = 'SELECT name FROM products WHERE price > 500 ORDER BY price DESC LIMIT 1'
  const proposals = await generateDatasets({ database: seed('shop'), answer, targets: [tieBroken, wrong], runSql, same: sameUnordered, timeBudgetMs: 1500 })
  t.ok(proposals.length > 0)
  for (const { initial_sql: sql, kills } of proposals) {
    t.same(kills, [wrong])
    for (const variant of tieBreakingVariants(answer, 1)) t.same(await run(sql, variant), await run(sql, answer))
  }
  // Without ORDER BY, rows come in scan order: scanning backwards must not change the result.
  const unordered = 'SELECT name FROM products LIMIT 2'
  t.same(tieBreakingVariants(unordered, 1), [`PRAGMA reverse_unordered_selects = ON;\n${unordered}`])
  const [backwards] = tieBreakingVariants(unordered, 1)
  t.notOk(sameUnordered(await run(seed('shop'), unordered), await run(seed('shop'), backwards)), 'which two rows come first is left to the scan order')
})
