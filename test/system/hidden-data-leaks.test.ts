// Nothing of a hidden dataset reaches a student: every value written only in
// a hidden dataset (never in the visible schema) is looked for in every
// response a student gets, compares that fail on hidden data (with their
// counterexamples) included.
import t from 'tap'
import { withClient } from '../helpers/database.ts'
import { apiClient, studentScopes } from '../helpers/api.ts'
import { startTestSystem } from '../helpers/system.ts'

// The string literals of some SQL: '...' with '' for a quote.
const literals = (sql: string) => [...sql.matchAll(/'((?:[^']|'')*)'/g)].map(match => match[1].replaceAll("''", "'"))

t.test('no hidden row reaches a student', async t => {
  const system = await startTestSystem(t, { CHALLENGE_RATE_LIMIT: '1000', COMPARE_RATE_LIMIT: '1000' })
  const { token, call } = apiClient(system.url)
  const student = await token(studentScopes, 'curious')

  const hiddenOnly = await withClient(system.databaseUrl, async client => {
    const visible = new Set((await client.query('SELECT initial_sql FROM schemas')).rows.flatMap(row => literals(row.initial_sql)))
    const hidden = (await client.query('SELECT initial_sql FROM hidden_datasets')).rows.flatMap(row => literals(row.initial_sql))
    // What students may read anyway: the questions' own words.
    const wording = (await client.query("SELECT string_agg(title || ' ' || description, ' ') AS text FROM questions")).rows[0].text as string
    // Short values would match anything; names and values that exist only in
    // hidden data are what a leak would show.
    return [...new Set(hidden.filter(value => value.length >= 5 && !visible.has(value) && !/^\d/.test(value) && !wording.includes(value)))]
  })
  t.ok(hiddenOnly.length >= 20, `${hiddenOnly.length} values exist only in hidden datasets`)

  const texts: string[] = []
  const record = (response: { text: string, headers: Headers }) => { texts.push(response.text + JSON.stringify([...response.headers])) }
  const questions = (await call('GET', '/questions?limit=100', { token: student })).body as { id: string }[]
  for (const { id } of questions) {
    record(await call('GET', `/questions/${id}`, { token: student }))
    // Right on the visible data only: its visible result, hard-coded.
    const answer = await withClient(system.databaseUrl, async client => (await client.query('SELECT answer FROM questions WHERE id = $1', [id])).rows[0].answer as string)
    const visible = await call('POST', '/challenges', { token: student, body: { questionID: id, query: answer } })
    const result = (await call('GET', `/challenges/${visible.body.challengeID}`, { token: student })).body as { rows: (string | null)[][] }
    const hardCoded = result.rows.length === 0 ? 'SELECT 1 WHERE 0' : result.rows.map(row => `SELECT ${row.map(cell => cell === null ? 'NULL' : `'${cell.replaceAll("'", "''")}'`).join(', ')}`).join(' UNION ALL ')
    const copied = await call('POST', '/challenges', { token: student, body: { questionID: id, query: hardCoded } })
    record(copied)
    const verdict = await call('GET', `/challenges/${copied.body.challengeID}/compare`, { token: student })
    record(verdict)
    t.match(verdict.body, { same: false }, `question ${id}: the copied visible result fails`)
  }
  record(await call('GET', '/me/submissions?limit=100', { token: student }))
  record(await call('GET', '/me', { token: student }))
  for (const { id } of questions.slice(0, 3)) record(await call('GET', `/questions/${id}/statistics`, { token: student }))

  const all = texts.join('\n')
  const leaked = hiddenOnly.filter(value => all.includes(value))
  t.same(leaked, [], `${texts.length} responses scanned, no hidden value in any`)
  t.ok(texts.some(text => text.includes('counterexample')), 'some failures were explained with counterexamples made from visible data')
})
