// Malformed requests at volume, sent with valid tokens so that they reach
// body parsing and validation: each must be refused with a 4xx and a JSON
// message, and the system must keep serving everyone else.
import t from 'tap'
import { isAlive } from '../helpers/launcher.ts'
import {
  devToken, rawRequest, request, startSystemWithBackingServices, studentScopes, teacherScopes, type Outcome
} from './harness.ts'

interface Case {
  category: 'truncated JSON' | 'wrong types' | '10 MB body' | 'invalid UTF-8' | 'deep nesting'
  name: string
  path: '/challenges' | '/schemas' | '/questions'
  body: (round: number) => string | Uint8Array
}

const ROUNDS = 8
const CONCURRENCY = 8
const TEN_MB = 10 * 1024 * 1024

// Bytes that are not UTF-8, spliced into otherwise valid JSON.
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map(part => typeof part === 'string' ? Buffer.from(part) : Buffer.from(part)))
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

const cases: Case[] = [
  { category: 'truncated JSON', name: 'run, cut in a string', path: '/challenges', body: () => '{"questionID": "1", "query": "SEL' },
  { category: 'truncated JSON', name: 'run, cut after a value', path: '/challenges', body: () => '{"questionID": "1"' },
  { category: 'truncated JSON', name: 'schema, cut in a key', path: '/schemas', body: () => '{"id": "cut", "descr' },
  { category: 'truncated JSON', name: 'question, cut after a colon', path: '/questions', body: () => '{"schema_id": "shop", "type": ' },

  { category: 'wrong types', name: 'run, body is an array', path: '/challenges', body: () => '[]' },
  { category: 'wrong types', name: 'run, body is a number', path: '/challenges', body: () => '42' },
  { category: 'wrong types', name: 'run, body is null', path: '/challenges', body: () => 'null' },
  { category: 'wrong types', name: 'run, questionID is an object', path: '/challenges', body: () => '{"questionID": {}, "query": "SELECT 1"}' },
  { category: 'wrong types', name: 'run, query is null', path: '/challenges', body: () => '{"questionID": "1", "query": null}' },
  { category: 'wrong types', name: 'run, query is an object', path: '/challenges', body: () => '{"questionID": "1", "query": {"sql": "SELECT 1"}}' },
  { category: 'wrong types', name: 'schema, every field wrong', path: '/schemas', body: () => '{"id": 5, "description": [], "initial_sql": {}}' },
  { category: 'wrong types', name: 'question, every field wrong', path: '/questions', body: () => '{"schema_id": [], "type": {}, "difficulty": 7, "title": [], "description": {}, "answer": null}' },

  { category: '10 MB body', name: 'run with a 10 MB query', path: '/challenges', body: () => JSON.stringify({ questionID: '1', query: `SELECT '${'x'.repeat(TEN_MB)}'` }) },
  { category: '10 MB body', name: 'schema with 10 MB of SQL', path: '/schemas', body: round => JSON.stringify({ id: `huge-${round}`, description: 'x', initial_sql: 'x'.repeat(TEN_MB) }) },
  { category: '10 MB body', name: 'question with a 10 MB description', path: '/questions', body: () => JSON.stringify({ schema_id: 'shop', type: 't', difficulty: 'easy', title: 't', description: 'x'.repeat(TEN_MB), answer: 'SELECT 1' }) },

  { category: 'invalid UTF-8', name: 'run, 0xFF 0xFE in the query', path: '/challenges', body: () => bytes('{"questionID": "1", "query": "SELECT \'', [0xff, 0xfe], '\'"}') },
  { category: 'invalid UTF-8', name: 'run, overlong encoding of /', path: '/challenges', body: () => bytes('{"questionID": "1", "query": "SELECT \'', [0xc0, 0xaf], '\'"}') },
  { category: 'invalid UTF-8', name: 'run, encoded lone surrogate', path: '/challenges', body: () => bytes('{"questionID": "1", "query": "SELECT \'', [0xed, 0xa0, 0x80], '\'"}') },
  { category: 'invalid UTF-8', name: 'run, cut multi-byte sequence', path: '/challenges', body: () => bytes('{"questionID": "1", "query": "SELECT \'', [0xe2, 0x82], '\'"}') },
  { category: 'invalid UTF-8', name: 'run, invalid bytes in a key', path: '/challenges', body: () => bytes('{"questionID": "1", "query": "SELECT 1", "', [0xff], '": 1}') },
  { category: 'invalid UTF-8', name: 'schema, invalid bytes in the description', path: '/schemas', body: round => bytes(`{"id": "utf8-${round}", "description": "`, [0xff], '", "initial_sql": "CREATE TABLE t (x)"}') },

  { category: 'deep nesting', name: 'run, 100,000 nested arrays in an extra field', path: '/challenges', body: () => `{"questionID": "1", "query": "SELECT 1", "x": ${nestedArrays(100_000)}}` },
  { category: 'deep nesting', name: 'run, 30,000 nested objects in an extra field', path: '/challenges', body: () => `{"questionID": "1", "query": "SELECT 1", "x": ${nestedObjects(30_000)}}` },
  { category: 'deep nesting', name: 'run, the body is 100,000 nested arrays', path: '/challenges', body: () => nestedArrays(100_000) },
  { category: 'deep nesting', name: 'run, 100,000 nested arrays as the query', path: '/challenges', body: () => `{"questionID": "1", "query": ${nestedArrays(100_000)}}` },
  { category: 'deep nesting', name: 'schema, 100,000 nested arrays in an extra field', path: '/schemas', body: round => `{"id": "deep-${round}", "description": "x", "initial_sql": "CREATE TABLE t (x)", "x": ${nestedArrays(100_000)}}` }
]

t.test('malformed input at volume: every one a 4xx, and the system keeps serving', async t => {
  const { system } = await startSystemWithBackingServices(t)
  const student = await devToken(system.url, studentScopes, 'student-malformed')
  const teacher = await devToken(system.url, teacherScopes, 'teacher-malformed')

  const jobs = Array.from({ length: ROUNDS }, (_, round) => cases.map(each => ({ each, round }))).flat()
  const results: Array<{ each: Case, outcome: Outcome }> = []
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < jobs.length) {
      const { each, round } = jobs[next++] as { each: Case, round: number }
      const token = each.path === '/challenges' ? student : teacher
      // node:http, so an answer sent before the whole body was read still counts.
      results.push({ each, outcome: await rawRequest(system.url, each.name, 'POST', each.path, { token, body: each.body(round) }) })
    }
  }))
  t.equal(results.length, ROUNDS * cases.length, `${results.length} malformed requests sent`)
  t.same(results.filter(r => r.outcome.hung).map(r => r.each.name), [], 'none hangs')

  for (const category of [...new Set(cases.map(each => each.category))]) {
    const wrong = results.filter(r => r.each.category === category && !(r.outcome.status >= 400 && r.outcome.status < 500 && r.outcome.json && r.outcome.message))
    const counts = new Map<string, number>()
    for (const r of wrong) {
      const key = `${r.each.name}: ${r.outcome.status || r.outcome.error}${r.outcome.message ? ` ${JSON.stringify(r.outcome.message)}` : ''}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    const sent = results.filter(r => r.each.category === category).length
    t.same([...counts].map(([key, n]) => `${n}× ${key}`), [], `${category}: every request is a 4xx with a JSON message (${sent} sent)`)
  }

  t.ok(isAlive(system.pid) && system.launched.child.exitCode === null, 'the same process is still running')
  t.equal((await request(system.url, 'health', 'GET', '/healthz')).status, 200, 'health answers')
  t.equal((await request(system.url, 'list', 'GET', '/questions', { token: student })).status, 200, 'questions are served')
  const run = await request(system.url, 'run', 'POST', '/challenges', { token: student, body: JSON.stringify({ questionID: '1', query: 'SELECT name FROM products' }) })
  t.equal(run.status, 200, 'runs are served')
  const read = await request(system.url, 'read', 'GET', `/challenges/${(run.body as { challengeID: string }).challengeID}`, { token: student })
  t.equal(read.status, 200, 'results are served')
})
