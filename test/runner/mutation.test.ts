import t from 'tap'
import { mutants, mutationOperators } from '../../services/dbrunner/lib/mutation.ts'
import type { MutationOperator } from '../../services/dbrunner/lib/mutation.ts'
import { normaliseQuery, tokenize } from '../../services/dbrunner/lib/normalise.ts'
import { QueryError } from '../../services/dbrunner/lib/run-errors.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import { readSeedBank, seedSchemaSql } from '../../lib/seed.ts'
import { table } from './mutation-samples.ts'
import { seededRandom } from './seeded-random.ts'

const seedQuestions = readSeedBank().questions

const of = (answer: string, operator: MutationOperator) => mutants(answer).filter(m => m.operator === operator).map(m => m.query)

t.test('each operator makes the expected mutants', async t => {
  for (const [operator, answer, expected] of table) t.same(of(answer, operator), expected, `${operator}: ${answer}`)
  const covered = new Set(table.filter(row => row[2].length > 0).map(row => row[0]))
  t.same(mutationOperators.filter(operator => !covered.has(operator)), [], 'every operator is in the table')
})

t.test('a mutant is never the answer, nor the same query as another mutant', async t => {
  const answers = [...table.map(row => row[1]), ...seedQuestions.map(q => q.answer)]
  for (const answer of answers) {
    const list = mutants(answer)
    const keys = list.map(m => normaliseQuery(m.query))
    t.notOk(keys.includes(normaliseQuery(answer)), answer)
    t.equal(new Set(keys).size, keys.length, answer)
  }
  t.same(mutants('SELECT a FROM t ORDER BY a LIMIT 0 -- none below 0').map(m => m.query).filter(q => q.includes('LIMIT -')), [])
})

// A WHERE with 40 comparisons gives far more than 20 mutants.
const wide = 'SELECT DISTINCT a FROM t JOIN u ON u.id = t.id WHERE ' + Array.from({ length: 40 }, (_, n) => `c${n} < ${n}`).join(' AND ') + ' ORDER BY a LIMIT 3'

t.test('at most max mutants: every operator that applies, spread over the text, always the same', async t => {
  const all = mutants(wide, { max: 1000 })
  t.ok(all.length > 200)
  const some = mutants(wide, { max: 20 })
  t.equal(some.length, 20)
  t.same(mutants(wide, { max: 20 }), some, 'deterministic')
  t.same(mutants(wide).length, 100, 'default cap')
  t.same([...new Set(some.map(m => m.operator))], [...new Set(all.map(m => m.operator))], 'each operator that applies, in catalogue order')
  // a subset of the full list, in its order
  const positions = some.map(m => all.findIndex(n => n.query === m.query))
  t.notOk(positions.includes(-1))
  t.same(positions, [...positions].sort((a, b) => a - b))
  // an operator cut short takes mutants from all over the text, not its first ones
  for (const operator of new Set(some.map(m => m.operator))) {
    const full = all.filter(m => m.operator === operator).map(m => m.query)
    const chosen = some.filter(m => m.operator === operator).map(m => full.indexOf(m.query))
    if (chosen.length < full.length) t.ok(chosen.some(n => n >= full.length / 2), `${operator}: ${chosen} of ${full.length}`)
  }
  t.same(mutants(wide, { max: 0 }), [])
  t.same(mutants(wide, { max: -5 }), [])
  t.equal(mutants(wide, { max: 2.9 }).length, 2)
  t.equal(mutants(wide, { max: Number.NaN }).length, 100)
})

// Strings, quoted names and comments of a text, in order.
const literals = (sql: string) => tokenize(sql, { keepTrivia: true })
  .filter(token => ['string', 'quoted', 'blob', 'comment'].includes(token.type)).map(token => token.text)

const isSubsequence = (part: string[], whole: string[]) => {
  let n = 0
  for (const item of whole) if (item === part[n]) n++
  return n === part.length
}

const odd = [
  "select name -- price < 10 AND x\nfrom t /* where a < b */ where \"and\" < 5 and [or] = 'a < b AND c' ;",
  'SELECT "select", `where`, [order by] FROM "t" WHERE "x" = \'IS NULL\' AND x\'00\' = y',
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n WHERE i > 2',
  'SELECT id, sum(v) OVER (PARTITION BY g ORDER BY d ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM t WHERE v > 0',
  'SELECT a FROM t WHERE b = (SELECT max(b) FROM t t2 WHERE t2.g = t.g AND t2.c < 3) AND NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a)',
  "CREATE TEMP TABLE x AS SELECT 1 AS a; INSERT INTO x VALUES (2); SELECT a FROM x WHERE a >= 1 -- last\n;",
  'SELECT CASE WHEN a < 1 AND b THEN 1 ELSE 2 END AS c FROM t WHERE a BETWEEN 1 AND 2 AND b',
  'SELECT end FROM t WHERE end > 1',
  "SELECT 'unterminated", 'SELECT ((( a < 1', ')))SELECT WHERE AND OR <', 'SELECT FROM WHERE GROUP BY ORDER BY LIMIT',
  'JOIN ON LEFT', '', ';;;', '-- only a comment', '/* unterminated', 'SELECT CASE WHEN', 'END END ) (', 'SELECT x FROM t WHERE a - -1 > 0 AND b -0 > c'
]

t.test('odd input never throws, and strings, quoted names and comments are never mutated', async t => {
  for (const answer of odd) {
    const list = mutants(answer)
    for (const mutant of list) {
      t.ok(isSubsequence(literals(mutant.query), literals(answer)), `${JSON.stringify(mutant.query)} keeps the literals of ${JSON.stringify(answer)}`)
    }
  }
  t.same(of(odd[0], 'comparison'), [
    "select name -- price < 10 AND x\nfrom t /* where a < b */ where \"and\" <= 5 and [or] = 'a < b AND c' ;",
    "select name -- price < 10 AND x\nfrom t /* where a < b */ where \"and\" < 5 and [or] <> 'a < b AND c' ;"
  ])
  // earlier statements are kept verbatim
  t.ok(mutants(odd[5]).length >= 4)
  for (const mutant of mutants(odd[5])) t.ok(mutant.query.startsWith('CREATE TEMP TABLE x AS SELECT 1 AS a; INSERT INTO x VALUES (2); SELECT '), mutant.query)
  // a number after a minus sign is read with its sign; a new minus is never written as a comment
  t.same(of(odd.at(-1)!, 'constant'), [
    'SELECT x FROM t WHERE a - 0 > 0 AND b -0 > c',
    'SELECT x FROM t WHERE a - -2 > 0 AND b -0 > c',
    'SELECT x FROM t WHERE a - -1 > 1 AND b -0 > c',
    'SELECT x FROM t WHERE a - -1 > -1 AND b -0 > c',
    'SELECT x FROM t WHERE a - -1 > 0 AND b -1 > c',
    'SELECT x FROM t WHERE a - -1 > 0 AND b - -1 > c'
  ])
})

t.test('random token soup never throws', async t => {
  const words = ['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'JOIN', 'LEFT', 'ON', 'GROUP', 'BY', 'ORDER', 'HAVING',
    'LIMIT', 'UNION', 'ALL', 'DISTINCT', 'CASE', 'WHEN', 'END', 'BETWEEN', 'COUNT', 'SUM', 'MIN', 'WITH', 'AS', 'OVER', '(', ')', ',', ';',
    '<', '<=', '=', '<>', '-', '*', '1', '2.5', '1e3', "'s'", '"q"', 'a', 'b.c', '--', '/*', '*/', '\n', 'EXISTS', 'CROSS', 'USING', 'ASC', 'DESC']
  const random = seededRandom(42)
  let made = 0
  for (let n = 0; n < 400; n++) {
    const soup = Array.from({ length: random.int(0, 40) }, () => random.pick(words)).join(random.chance(0.3) ? '' : ' ')
    const answer = random.chance(0.7) ? `SELECT ${soup}` : soup
    let list: ReturnType<typeof mutants> = []
    try {
      list = mutants(answer, { max: 30 })
    } catch (error) {
      t.fail(`${JSON.stringify(answer)} throws ${String(error)}`)
    }
    made += list.length
    const bad = list.length > 30 || list.some(m => normaliseQuery(m.query) === normaliseQuery(answer) || !isSubsequence(literals(m.query), literals(answer)))
    if (bad) t.fail(`mutants of ${JSON.stringify(answer)}`)
  }
  t.ok(made > 100, `${made} mutants of 400 soups`)
})

t.test('only a query is mutated', async t => {
  t.same(mutants('EXPLAIN SELECT * FROM t WHERE a < 1'), [])
  t.same(mutants('INSERT INTO t SELECT * FROM u WHERE a < 1 RETURNING id'), [])
  t.same(mutants('SELECT * FROM t WHERE a < 1; UPDATE t SET a = 1 WHERE a < 2').map(m => m.query)[0],
    'SELECT * FROM t WHERE a <= 1; UPDATE t SET a = 1 WHERE a < 2')
  t.same(of('VALUES (1 < 2)', 'comparison'), ['VALUES (1 <= 2)'])
})

t.test('parameters, ATTACH and PRAGMA: no mutants', async t => {
  t.same(mutants('SELECT * FROM t WHERE a = ?'), [])
  t.same(mutants('SELECT * FROM t WHERE a = :a'), [])
  t.same(mutants('PRAGMA table_info(t); SELECT * FROM t WHERE a = 1'), [])
  t.same(mutants("ATTACH 'x' AS y; SELECT * FROM t WHERE a = 1"), [])
})

await loadEngine()

t.test('every mutant of every seed answer runs, or fails with a clean error', async t => {
  const images = new Map<string, Uint8Array>()
  let ran = 0
  let failed = 0
  for (const question of seedQuestions) {
    if (!images.has(question.schema_id)) images.set(question.schema_id, buildImage(seedSchemaSql(question.schema_id)))
    const image = images.get(question.schema_id)!
    const list = mutants(question.answer)
    t.ok(list.length > 0, question.title)
    for (const mutant of list) {
      try {
        runQuery(image, mutant.query)
        ran++
      } catch (error) {
        failed++
        t.ok(error instanceof QueryError, `${mutant.query}: ${(error as Error).message}`)
        t.notMatch((error as Error).message, /syntax error|unrecognized token/, mutant.query)
      }
    }
  }
  t.ok(ran > 100, `${ran} mutants ran, ${failed} failed cleanly`)
})

t.test('mutants of the sample answers parse in SQLite', async t => {
  const image = buildImage(`
    CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c, d, g, x, y, v, end, b_id, "and", [or], "select", "where", "order by", "x y");
    CREATE TABLE u (id INTEGER PRIMARY KEY, t_id, a, b, n, ok);
    CREATE TABLE a (id INTEGER PRIMARY KEY, x, y, b_id);
    CREATE TABLE b (id INTEGER PRIMARY KEY, z);
    CREATE TABLE c (w);
    CREATE TABLE v (a);
    INSERT INTO t (id, a, b, g, x) VALUES (1, 1, 2, 1, 5), (2, 2, 3, 1, 6);`)
  let checked = 0
  for (const answer of [...table.map(row => row[1]), ...odd.slice(0, 8)]) {
    // only answers that run themselves
    try {
      runQuery(image, answer)
    } catch {
      continue
    }
    checked++
    for (const mutant of mutants(answer)) {
      try {
        runQuery(image, mutant.query)
      } catch (error) {
        t.notMatch((error as Error).message, /syntax error|unrecognized token|incomplete input/, mutant.query)
      }
    }
  }
  t.ok(checked > 40, `${checked} sample answers run`)
})

t.test('a join type mutant left out is, on any data, the answer or a mutant offered', async t => {
  // {n}: the n-th join, given with its kind in the answer
  const answers: Array<[string, string[]]> = [
    ['SELECT a.id, b.id FROM a {0} b ON b.id = a.b_id WHERE a.x = 1', ['JOIN']],
    ['SELECT a.id, b.id FROM a {0} b ON b.id = a.b_id WHERE b.y > 0', ['LEFT JOIN']],
    ['SELECT a.id, b.id, c.id FROM a {0} b ON b.id = a.b_id {1} c ON c.id = b.c_id WHERE a.x IS NULL', ['LEFT JOIN', 'JOIN']],
    ['SELECT a.id, c.id FROM a {0} b ON b.id = a.b_id {1} c ON c.id = b.c_id WHERE c.z BETWEEN 0 AND 1 AND a.x IN (1, 2)', ['JOIN', 'LEFT JOIN']],
    ["SELECT a.id, b.y FROM a {0} b ON b.id = a.b_id WHERE CAST(a.x AS TEXT) LIKE '1%' AND b.y + 1 >= (SELECT min(z) FROM c)", ['RIGHT JOIN']],
    ['SELECT b.id, count(*) FROM a {0} b ON b.id = a.b_id {1} c ON c.id = b.c_id WHERE a.x IS NOT NULL GROUP BY b.id', ['JOIN', 'JOIN']]
  ]
  const random = seededRandom(5)
  const value = () => random.chance(0.25) ? 'NULL' : String(random.int(0, 2))
  const key = () => random.chance(0.2) ? 'NULL' : String(random.int(1, 5)) // sometimes no partner: orphans are the point
  const rows = (columns: () => string) => Array.from({ length: random.int(0, 4) }, (_, n) => `(${n + 1}, ${columns()})`).join(', ')
  const datasets = Array.from({ length: 40 }, () => {
    const inserts = [['a', () => `${key()}, ${value()}`], ['b', () => `${key()}, ${value()}`], ['c', () => value()]] as const
    return buildImage('CREATE TABLE a (id INTEGER PRIMARY KEY, b_id, x); CREATE TABLE b (id INTEGER PRIMARY KEY, c_id, y); CREATE TABLE c (id INTEGER PRIMARY KEY, z);' +
      inserts.map(([table, columns]) => { const values = rows(columns); return values === '' ? '' : `INSERT INTO ${table} VALUES ${values};` }).join(''))
  })
  const seen = new Map<string, string[]>()
  const results = (query: string): string[] => {
    if (!seen.has(query)) seen.set(query, datasets.map(image => JSON.stringify(runQuery(image, query).rows.map(row => JSON.stringify(row)).sort())))
    return seen.get(query)!
  }
  const fill = (template: string, kinds: string[]) => kinds.reduce((text, kind, n) => text.replace(`{${n}}`, kind), template)
  let left = 0
  for (const [template, kinds] of answers) {
    const answer = fill(template, kinds)
    const offered = mutants(answer, { max: 1000 }).filter(m => m.operator === 'join-type').map(m => m.query)
    for (const [n] of kinds.entries()) {
      for (const kind of ['JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN']) {
        const variant = fill(template, kinds.map((k, m) => m === n ? kind : k))
        if (kind === kinds[n] || offered.includes(variant)) continue
        left++
        const same = [answer, ...offered].find(other => results(other).every((result, d) => result === results(variant)[d]))
        t.ok(same !== undefined, `${variant} is ${same}`)
      }
    }
  }
  t.ok(left >= 6, `${left} join type mutants left out`)
})
