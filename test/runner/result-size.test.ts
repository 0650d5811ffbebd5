// The result limit counts what is served: the UTF-8 bytes of the result's
// JSON text, header names, nulls, quotes and escapes included.
import t from 'tap'
import { LimitError } from '../../services/dbrunner/lib/run-errors.ts'
import { formatBytes } from '../../services/dbrunner/lib/engine-types.ts'
import { buildImage, defaultLimits, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import type { QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import { seededRandom } from './seeded-random.ts'
import type { Random } from './seeded-random.ts'

await loadEngine()
const image = buildImage('CREATE TABLE t (a TEXT); INSERT INTO t VALUES (\'x\');')
const served = (result: QueryResult) => Buffer.byteLength(JSON.stringify(result), 'utf8')
const withMax = (maxResultBytes: number) => ({ ...defaultLimits, maxResultBytes })
const sizeLimit = (bytes: number) => new LimitError(`result is larger than ${formatBytes(bytes)}`)

// Pieces of cell text as raw bytes: ASCII with the characters JSON escapes,
// control characters, multi-byte UTF-8, and bytes that are not UTF-8 at all.
const BYTE_PIECES = [
  '61', '7a', '20', '22', '5c', '2f', '27', '7f', '00', '01', '08', '09', '0a', '0c', '0d', '1f',
  'c3a9', 'e282ac', 'f09f9880', 'e280a8', 'efbbbf',
  '80', 'e282', 'eda080', 'f8', 'ff', 'c0af', 'f09f98'
]
// Characters of header names (a name is a C string: no NUL).
const NAME_CHARS = ['a', 'Z', '_', ' ', '"', '\\', '\'', '\n', '\t', '\u0001', '\u001f', 'é', '€', '\u2028', '😀', 'ı', 'ſ']

function randomCell (random: Random): string {
  switch (random.int(0, 7)) {
    case 0: return 'NULL'
    case 1: return String(random.int(-1e6, 1e6))
    case 2: return `${random.int(-999, 999)}.${random.int(0, 99)}e${random.int(-300, 300)}`
    case 3: return `x'${Array.from({ length: random.int(0, 20) }, () => random.pick(BYTE_PIECES)).join('')}'`
    case 4: return `printf('%.*c', ${random.int(0, 3000)}, '${random.pick(['"', '\\', 'x', 'é'])}')`
    case 5: return `replace(printf('%.*c', ${random.int(0, 500)}, 'x'), 'x', char(${random.pick([0, 1, 10, 31, 34, 92, 127, 8232])}))`
    default: return `CAST(x'${Array.from({ length: random.int(0, 30) }, () => random.pick(BYTE_PIECES)).join('')}' AS TEXT)`
  }
}

function randomName (random: Random): string {
  return Array.from({ length: random.int(0, 12) }, () => random.pick(NAME_CHARS)).join('')
}

function randomQuery (random: Random): string {
  const columns = random.int(1, 6)
  const names = Array.from({ length: columns }, () => randomName(random))
  const rows = Array.from({ length: random.int(0, 12) }, () => `(${Array.from({ length: columns }, () => randomCell(random)).join(', ')})`)
  const select = names.map((name, i) => `column${i + 1} AS "${name.replaceAll('"', '""')}"`).join(', ')
  if (rows.length === 0) return `SELECT ${names.map((name, i) => `${i} AS "${name.replaceAll('"', '""')}"`).join(', ')} WHERE 0`
  return `SELECT ${select} FROM (VALUES ${rows.join(', ')})`
}

t.test('random results are refused exactly when their JSON text is over the limit', async t => {
  const random = seededRandom(20240611)
  let checked = 0
  for (let i = 0; i < 300; i++) {
    const query = randomQuery(random)
    const full = runQuery(image, query, withMax(1e9))
    const bytes = served(full)
    // Messages name the case, not the query: its text would garble the TAP stream.
    t.same(runQuery(image, query, withMax(bytes)), full, `case ${i} fits in exactly ${bytes} bytes`)
    t.throws(() => runQuery(image, query, withMax(bytes - 1)), sizeLimit(bytes - 1), `case ${i} is refused one byte below`)
    const limit = random.int(Math.max(1, bytes - 200), bytes + 200)
    if (bytes > limit) t.throws(() => runQuery(image, query, withMax(limit)), LimitError, `case ${i}, limit ${limit}`)
    else t.same(runQuery(image, query, withMax(limit)), full, `case ${i}, limit ${limit}`)
    checked++
  }
  t.equal(checked, 300)
})

t.test('escapes are counted: quotes, backslashes and control characters cost what JSON makes them cost', async t => {
  // 100 000 characters of cell text, 200 002 bytes served.
  const quotes = runQuery(image, "SELECT printf('%.*c', 100000, '\"') AS q", withMax(1e9))
  t.equal(served(quotes), 23 + 3 + 2 + 200002, 'header "q", one row of one cell')
  t.throws(() => runQuery(image, "SELECT printf('%.*c', 100000, '\"') AS q", withMax(150000)), sizeLimit(150000))
  // A control character is served as \u0001: six bytes for one.
  const controls = "SELECT replace(printf('%.*c', 200000, 'x'), 'x', char(1)) AS c"
  t.equal(served(runQuery(image, controls, withMax(1e9))), 23 + 3 + 2 + 1200002)
  t.throws(() => runQuery(image, controls), sizeLimit(1024 * 1024), 'over 1 MiB served from 200 000 bytes of text')
})

t.test('null and empty cells count: 500 NULL columns stop at the row that passes 1 MiB', async t => {
  const columns = 500
  const rows = (n: number) => `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n})
    SELECT ${Array(columns).fill('NULL AS n').join(', ')} FROM c`
  // {"header":["n",...],"rows":[[null,...],...]}
  const headerBytes = columns * 3 + (columns - 1)
  const rowBytes = 2 + columns * 4 + (columns - 1)
  const size = (n: number) => 23 + headerBytes + n * rowBytes + (n - 1)
  let fits = 0
  while (size(fits + 1) <= defaultLimits.maxResultBytes) fits++
  t.equal(fits, 418, 'the old count (cell text only) let all 1000 rows through')
  const result = runQuery(image, rows(fits))
  t.equal(result.rows.length, fits)
  t.equal(served(result), size(fits))
  t.throws(() => runQuery(image, rows(fits + 1)), sizeLimit(1024 * 1024))
  // Empty strings likewise: "" is two bytes.
  const empties = `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000) SELECT ${Array(columns).fill("'' AS e").join(', ')} FROM c`
  t.throws(() => runQuery(image, empties), sizeLimit(1024 * 1024))
})

t.test('SQLite itself caps the number of columns', async t => {
  t.throws(() => runQuery(image, `SELECT ${Array(2000).fill('NULL').join(', ')}`),
    { name: 'LimitError', message: 'result has more than 500 columns (too many columns in result set)' })
  t.equal(runQuery(image, `SELECT ${Array(500).fill('NULL').join(', ')}`).header.length, 500)
})

t.test('header names count, even with no rows', async t => {
  // One long column name repeated by *: a small query with a large header.
  const name = 'n'.repeat(3000)
  const wide = (stars: number) => `SELECT ${Array(stars).fill('*').join(', ')} FROM (SELECT 1 AS "${name}") WHERE 0`
  const small = runQuery(image, wide(10))
  t.same(small.rows, [])
  t.equal(served(small), 23 + 10 * 3002 + 9)
  t.ok(Buffer.byteLength(wide(400)) < 5000, 'the query is under 5 KB')
  t.throws(() => runQuery(image, wide(400)), sizeLimit(1024 * 1024), 'its header alone is over 1 MiB')
  // Escapes in names count too.
  const quoted = runQuery(image, 'SELECT 1 AS """\\"', withMax(1e9))
  t.equal(served(quoted), Buffer.byteLength('{"header":["\\"\\\\"],"rows":[["1"]]}'))
})

t.test('the empty result has a size too', async t => {
  t.same(runQuery(image, 'UPDATE t SET a = a', withMax(23)), { header: [], rows: [] })
  t.throws(() => runQuery(image, 'UPDATE t SET a = a', withMax(22)), sizeLimit(22))
})
