import t from 'tap'
import { readFileSync } from 'node:fs'
import { mutants, mutationOperators } from '../../services/dbrunner/lib/mutation.ts'
import type { MutationOperator } from '../../services/dbrunner/lib/mutation.ts'
import { normaliseQuery, tokenize } from '../../services/dbrunner/lib/normalise.ts'
import { QueryError } from '../../services/dbrunner/lib/run-errors.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import { seedQuestions } from '../../seeds/catalogue.ts'
import { seededRandom } from './seeded-random.ts'

const of = (answer: string, operator: MutationOperator) => mutants(answer).filter(m => m.operator === operator).map(m => m.query)

// answer -> the mutants one operator makes of it, in order
const table: Array<[MutationOperator, string, string[]]> = [
  ['join-type', 'SELECT a.x FROM a JOIN b ON b.id = a.b_id', [
    'SELECT a.x FROM a LEFT JOIN b ON b.id = a.b_id',
    'SELECT a.x FROM a RIGHT JOIN b ON b.id = a.b_id',
    'SELECT a.x FROM a FULL JOIN b ON b.id = a.b_id',
    'SELECT a.x FROM a CROSS JOIN b'
  ]],
  ['join-type', 'select a.x from a left outer join b on b.id = a.b_id where a.y = 1', [
    'select a.x from a join b on b.id = a.b_id where a.y = 1',
    'select a.x from a right join b on b.id = a.b_id where a.y = 1',
    'select a.x from a full join b on b.id = a.b_id where a.y = 1',
    'select a.x from a cross join b where a.y = 1'
  ]],
  ['join-type', 'SELECT * FROM a CROSS JOIN b', ['SELECT * FROM a LEFT JOIN b', 'SELECT * FROM a RIGHT JOIN b', 'SELECT * FROM a FULL JOIN b']],
  ['join-type', 'SELECT * FROM a NATURAL JOIN b', [
    'SELECT * FROM a NATURAL LEFT JOIN b', 'SELECT * FROM a NATURAL RIGHT JOIN b', 'SELECT * FROM a NATURAL FULL JOIN b', 'SELECT * FROM a CROSS JOIN b'
  ]],
  ['join-type', 'SELECT * FROM a JOIN b USING (id), c', [
    'SELECT * FROM a LEFT JOIN b USING (id), c', 'SELECT * FROM a RIGHT JOIN b USING (id), c', 'SELECT * FROM a FULL JOIN b USING (id), c', 'SELECT * FROM a CROSS JOIN b, c'
  ]],
  ['join-type', 'SELECT * FROM a, b WHERE a.id = b.id', []],
  ['comparison', 'SELECT * FROM t WHERE a < 1 AND b >= 2 AND c = 3 AND d != 4', [
    'SELECT * FROM t WHERE a <= 1 AND b >= 2 AND c = 3 AND d != 4',
    'SELECT * FROM t WHERE a < 1 AND b > 2 AND c = 3 AND d != 4',
    'SELECT * FROM t WHERE a < 1 AND b >= 2 AND c <> 3 AND d != 4',
    'SELECT * FROM t WHERE a < 1 AND b >= 2 AND c = 3 AND d = 4'
  ]],
  ['comparison', 'SELECT a<=b, a>b, a==b, a<>b FROM t', [
    'SELECT a<b, a>b, a==b, a<>b FROM t', 'SELECT a<=b, a>=b, a==b, a<>b FROM t', 'SELECT a<=b, a>b, a<>b, a<>b FROM t', 'SELECT a<=b, a>b, a==b, a=b FROM t'
  ]],
  ['comparison', 'SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c > 5)', ['SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c >= 5)']],
  ['and-or', 'SELECT * FROM t WHERE a = 1 AND b = 2 or c BETWEEN 1 AND 3', [
    'SELECT * FROM t WHERE a = 1 OR b = 2 or c BETWEEN 1 AND 3',
    'SELECT * FROM t WHERE a = 1 AND b = 2 and c BETWEEN 1 AND 3'
  ]],
  ['where-conjunct', 'SELECT * FROM t WHERE a = 1 AND (b = 2 OR c = 3) AND d BETWEEN 1 AND 5 ORDER BY a', [
    'SELECT * FROM t WHERE (b = 2 OR c = 3) AND d BETWEEN 1 AND 5 ORDER BY a',
    'SELECT * FROM t WHERE a = 1 AND d BETWEEN 1 AND 5 ORDER BY a',
    'SELECT * FROM t WHERE a = 1 AND (b = 2 OR c = 3) ORDER BY a'
  ]],
  ['where-conjunct', 'SELECT * FROM t WHERE a = 1 AND b = 2 OR c = 3', ['SELECT * FROM t']],
  ['where-conjunct', 'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id AND u.ok)', [
    'SELECT * FROM t',
    'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.ok)',
    'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)'
  ]],
  ['having-conjunct', 'SELECT g FROM t GROUP BY g HAVING COUNT(*) > 1 AND SUM(x) < 10', [
    'SELECT g FROM t GROUP BY g HAVING SUM(x) < 10', 'SELECT g FROM t GROUP BY g HAVING COUNT(*) > 1'
  ]],
  ['having-conjunct', 'SELECT g FROM t GROUP BY g HAVING COUNT(*) > 1 ORDER BY g', ['SELECT g FROM t GROUP BY g ORDER BY g']],
  ['distinct', 'SELECT a FROM t', ['SELECT DISTINCT a FROM t']],
  ['distinct', 'select distinct a from t', ['select a from t']],
  ['distinct', 'SELECT ALL a FROM t', ['SELECT DISTINCT a FROM t']],
  // one row, or one per group with the group selected, or inside EXISTS / IN / UNION: DISTINCT changes nothing
  ['distinct', 'SELECT COUNT(*) FROM t', []],
  ['distinct', 'SELECT g, SUM(x) FROM t GROUP BY g', []],
  ['distinct', 'SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u) AND b IN (SELECT DISTINCT b FROM v)', [
    'SELECT DISTINCT a FROM t WHERE EXISTS (SELECT 1 FROM u) AND b IN (SELECT DISTINCT b FROM v)'
  ]],
  ['distinct', 'SELECT a FROM t UNION SELECT a FROM u', []],
  ['distinct', 'SELECT a FROM t WHERE a > (SELECT AVG(x) FROM (SELECT x FROM u))', [
    'SELECT DISTINCT a FROM t WHERE a > (SELECT AVG(x) FROM (SELECT x FROM u))',
    'SELECT a FROM t WHERE a > (SELECT AVG(x) FROM (SELECT DISTINCT x FROM u))'
  ]],
  ['count', 'SELECT COUNT(*) FROM t WHERE t.x > 1', ['SELECT COUNT(t.x) FROM t WHERE t.x > 1', 'SELECT COUNT(DISTINCT t.x) FROM t WHERE t.x > 1']],
  ['count', 'SELECT g, count(*) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g', [
    'SELECT g, count(u.t_id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g',
    'SELECT g, count(distinct u.t_id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g',
    'SELECT g, count(t.id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g',
    'SELECT g, count(distinct t.id) AS n FROM t JOIN u ON u.t_id = t.id GROUP BY g'
  ]],
  ['count', 'SELECT COUNT(x) FROM t', ['SELECT COUNT(*) FROM t', 'SELECT COUNT(DISTINCT x) FROM t']],
  ['count', 'SELECT COUNT(DISTINCT x) FROM t', ['SELECT COUNT(x) FROM t', 'SELECT COUNT(*) FROM t']],
  ['count', 'SELECT COUNT(*) FROM t', []],
  ['sum-avg', 'SELECT SUM(x), avg(y) FROM t', ['SELECT AVG(x), avg(y) FROM t', 'SELECT SUM(x), sum(y) FROM t']],
  ['min-max', 'SELECT MIN(x), Max(y) FROM t', ['SELECT MAX(x), Max(y) FROM t', 'SELECT MIN(x), Min(y) FROM t']],
  ['group-by', 'SELECT a, b, COUNT(*) FROM t GROUP BY a, b HAVING COUNT(*) > 1', [
    'SELECT a, b, COUNT(*) FROM t GROUP BY b HAVING COUNT(*) > 1', 'SELECT a, b, COUNT(*) FROM t GROUP BY a HAVING COUNT(*) > 1'
  ]],
  ['group-by', 'SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY a', ['SELECT a, COUNT(*) FROM t ORDER BY a']],
  ['order-direction', 'SELECT * FROM t ORDER BY a, b DESC, c ASC, d NULLS LAST', [
    'SELECT * FROM t ORDER BY a DESC, b DESC, c ASC, d NULLS LAST',
    'SELECT * FROM t ORDER BY a, b, c ASC, d NULLS LAST',
    'SELECT * FROM t ORDER BY a, b DESC, c DESC, d NULLS LAST',
    'SELECT * FROM t ORDER BY a, b DESC, c ASC, d DESC NULLS LAST'
  ]],
  // the order of a subquery only counts where LIMIT cuts it, or in a window
  ['order-direction', 'SELECT * FROM (SELECT a FROM t ORDER BY a) JOIN (SELECT b FROM u ORDER BY b LIMIT 2)', [
    'SELECT * FROM (SELECT a FROM t ORDER BY a) JOIN (SELECT b FROM u ORDER BY b DESC LIMIT 2)'
  ]],
  ['order-direction', 'SELECT rank() OVER (PARTITION BY g ORDER BY x) FROM t', ['SELECT rank() OVER (PARTITION BY g ORDER BY x DESC) FROM t']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 3', ['SELECT a FROM t ORDER BY a LIMIT 4', 'SELECT a FROM t ORDER BY a LIMIT 2']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 0', ['SELECT a FROM t ORDER BY a LIMIT 1']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 5 OFFSET 2', ['SELECT a FROM t ORDER BY a LIMIT 6 OFFSET 2', 'SELECT a FROM t ORDER BY a LIMIT 4 OFFSET 2']],
  ['limit', 'SELECT a FROM t ORDER BY a LIMIT 2, 5', ['SELECT a FROM t ORDER BY a LIMIT 2, 6', 'SELECT a FROM t ORDER BY a LIMIT 2, 4']],
  ['limit', 'SELECT a FROM t LIMIT (SELECT 2)', []],
  ['null-test', 'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL OR c ISNULL OR d NOTNULL', [
    'SELECT * FROM t WHERE a IS NOT NULL AND b IS NOT NULL OR c ISNULL OR d NOTNULL',
    'SELECT * FROM t WHERE a IS NULL AND b IS NULL OR c ISNULL OR d NOTNULL',
    'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL OR c NOTNULL OR d NOTNULL',
    'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL OR c ISNULL OR d ISNULL'
  ]],
  ['in', 'SELECT * FROM t WHERE a IN (1, 2) AND b NOT IN (SELECT b FROM u)', [
    'SELECT * FROM t WHERE a NOT IN (1, 2) AND b NOT IN (SELECT b FROM u)',
    'SELECT * FROM t WHERE a IN (1, 2) AND b IN (SELECT b FROM u)'
  ]],
  ['union', 'SELECT a FROM t UNION SELECT a FROM u', ['SELECT a FROM t UNION ALL SELECT a FROM u']],
  ['union', 'SELECT a FROM t UNION ALL SELECT a FROM u', ['SELECT a FROM t UNION SELECT a FROM u']],
  // INTERSECT and EXCEPT are left alone; a later UNION removes duplicates again
  ['union', 'SELECT a FROM t INTERSECT SELECT a FROM u EXCEPT SELECT a FROM v', []],
  ['union', 'SELECT a FROM t UNION SELECT a FROM u UNION SELECT a FROM v', ['SELECT a FROM t UNION SELECT a FROM u UNION ALL SELECT a FROM v']],
  ['constant', 'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -3 AND 7 LIMIT 5', [
    'SELECT a + 1 FROM t WHERE a > 11 AND b <= 2.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 9 AND b <= 2.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 3.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 1.5 AND c BETWEEN -3 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -2 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -4 AND 7 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -3 AND 8 LIMIT 5',
    'SELECT a + 1 FROM t WHERE a > 10 AND b <= 2.5 AND c BETWEEN -3 AND 6 LIMIT 5'
  ]],
  ['constant', 'SELECT * FROM t JOIN u ON u.n >= 0 HAVING 1e3 < x', [
    'SELECT * FROM t JOIN u ON u.n >= 1 HAVING 1e3 < x', 'SELECT * FROM t JOIN u ON u.n >= -1 HAVING 1e3 < x',
    'SELECT * FROM t JOIN u ON u.n >= 0 HAVING 1001.0 < x', 'SELECT * FROM t JOIN u ON u.n >= 0 HAVING 999.0 < x'
  ]]
]

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
    if (!images.has(question.schema_id)) images.set(question.schema_id, buildImage(readFileSync(new URL(`../../seeds/schemas/${question.schema_id}.sql`, import.meta.url), 'utf8')))
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
