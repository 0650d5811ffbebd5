// One normalisation, SQLite's: case folds for ASCII letters only, so two
// texts share a cache key only when SQLite reads them alike, whatever
// Unicode they contain.
import t from 'tap'
import { SQL_KEYWORDS, normaliseQuery, tokenize } from '../../services/dbrunner/lib/normalise.ts'
import { buildImage, loadEngine, runQuery } from '../../services/dbrunner/lib/sql-engine.ts'
import { seededRandom } from './seeded-random.ts'
import type { Random } from './seeded-random.ts'
import { UNICODE, disguise, randomCase, visible } from './unicode-spellings.ts'

const ASCII_NAME = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'
const KEYWORDS = [...SQL_KEYWORDS]

const upperAscii = (text: string) => text.replace(/[a-z]/g, c => String.fromCharCode(c.charCodeAt(0) - 32))
const isAscii = (text: string) => /^[\x00-\x7f]*$/.test(text)

/** How SQLite reads a bare word: a keyword (by ASCII-only folding) or a name, kept exactly. */
function readWord (word: string): string {
  return isAscii(word) && SQL_KEYWORDS.has(upperAscii(word)) ? `K:${upperAscii(word)}` : `N:${word}`
}

function randomText (random: Random, length: number, exclude: string): string {
  const pool = [...ASCII_NAME, ' ', '-', '*', '/', ...UNICODE].filter(c => !exclude.includes(c))
  return Array.from({ length }, () => random.pick(pool)).join('')
}

// A token of the generated query: how to spell it each time, and how SQLite reads that spelling.
interface Slot { spell: (random: Random) => string }

function randomSlot (random: Random): Slot {
  switch (random.int(0, 6)) {
    case 0:
    case 1: {
      const keyword = random.pick(KEYWORDS)
      // Same keyword each time; some spellings disguised.
      return { spell: r => r.chance(0.25) ? disguise(r, randomCase(r, keyword)) : randomCase(r, keyword) }
    }
    case 2: {
      const name = random.pick([...ASCII_NAME.slice(0, 52)]) + randomText(random, random.int(0, 6), '-*/ \u2028')
      return { spell: r => r.chance(0.2) ? randomCase(r, name) : name }
    }
    case 3: {
      const body = randomText(random, random.int(0, 8), '')
      return { spell: r => `'${r.chance(0.15) ? randomCase(r, body) : body}'` }
    }
    case 4: {
      const [open, close] = random.pick([['"', '"'], ['[', ']'], ['`', '`']])
      const body = randomText(random, random.int(1, 8), '')
      return { spell: r => `${open}${r.chance(0.15) ? randomCase(r, body) : body}${close}` }
    }
    case 5: {
      const number = String(random.int(0, 99999))
      return { spell: () => number }
    }
    default: {
      const operator = random.pick(['=', '<>', '(', ')', ',', '+', '*', '.', '||', '>='])
      return { spell: () => operator }
    }
  }
}

/** SQLite's reading of one spelling of a slot. */
function readToken (text: string): string {
  if (/^['"[`]/.test(text)) return `L:${text}`
  if (/^[0-9]/.test(text)) return `D:${text}`
  if (/^[-=<>(),+*.|]/.test(text)) return `P:${text}`
  return readWord(text)
}

function separator (random: Random): string {
  return random.pick([' ', '  ', '\n', '\t', '\r\n', '\f', ` /* ${randomText(random, 5, '*/')} */ `, ` -- ${randomText(random, 5, '\n')}\n`])
}

t.test('random Unicode never makes two texts share a key unless SQLite reads them alike', async t => {
  const random = seededRandom(7)
  const failures: string[] = []
  let pairs = 0
  let sharedKeys = 0
  for (let group = 0; group < 400; group++) {
    const slots = Array.from({ length: random.int(1, 10) }, () => randomSlot(random))
    const variants = Array.from({ length: 6 }, () => {
      const spellings = slots.map(slot => slot.spell(random))
      return {
        text: spellings.map(spelling => spelling + separator(random)).join(''),
        reading: spellings.map(readToken).join(' ')
      }
    })
    for (const [i, a] of variants.entries()) {
      const key = normaliseQuery(a.text)
      if (normaliseQuery(key) !== key) failures.push(`group ${group}: not idempotent: ${visible(a.text)}`)
      for (const b of variants.slice(i + 1)) {
        pairs++
        const sameKey = key === normaliseQuery(b.text)
        if (sameKey) sharedKeys++
        if (sameKey !== (a.reading === b.reading)) {
          failures.push(`group ${group}: ${visible(a.text)} | ${visible(b.text)}: ${sameKey ? 'one key for two readings' : 'two keys for one reading'}`)
        }
      }
    }
  }
  t.same(failures.slice(0, 10), [], `${failures.length} failures in ${pairs} pairs`)
  t.ok(sharedKeys > pairs / 10, `texts that SQLite reads alike do share keys (${sharedKeys} of ${pairs} pairs)`)
})

t.test('SQLite reads a keyword with any non-ASCII letter in it as a name', async t => {
  await loadEngine()
  const image = buildImage('CREATE TABLE p (price REAL); INSERT INTO p VALUES (NULL), (2.5);')
  const random = seededRandom(11)
  for (let i = 0; i < 150; i++) {
    const word = disguise(random, randomCase(random, random.pick(KEYWORDS)))
    if (!/^[A-Za-z_\u0080-\uffff]/.test(word) || /[\u2028\ufeff\u00a0\u200b]/.test(word[0])) continue
    // After an expression, a name is its alias: the column is named after it.
    t.same(runQuery(image, `SELECT 1 ${word}`).header, [word], `word ${i}: ${visible(word)}`)
    t.equal(tokenize(word)[0].type, 'identifier', `word ${i} is a name to the tokenizer too`)
  }
})

t.test('the reported cases: ſELECT and ıSNULL are names, not keywords', async t => {
  t.not(normaliseQuery('ſELECT 1'), normaliseQuery('select 1'))
  t.equal(normaliseQuery('ſelect 1'), 'ſelect 1', 'kept as written')
  t.not(normaliseQuery('SELECT price ıSNULL FROM p'), normaliseQuery('SELECT price ISNULL FROM p'))
  const image = buildImage('CREATE TABLE p (price REAL); INSERT INTO p VALUES (NULL), (2.5);')
  t.same(runQuery(image, 'SELECT price ISNULL FROM p'), { header: ['price ISNULL'], rows: [['1'], ['0']] })
  t.same(runQuery(image, 'SELECT price ıSNULL FROM p'), { header: ['ıSNULL'], rows: [[null], ['2.5']] })
  t.throws(() => runQuery(image, 'ſELECT 1'), { name: 'QueryError', message: 'near "ſELECT": syntax error' })
  // ASCII letters fold whatever their case, as in SQLite.
  t.equal(normaliseQuery('sElEcT price iSnUlL fRoM p'), 'SELECT price ISNULL FROM p')
})
