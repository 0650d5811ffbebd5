// The datasets proposed for a question: whatever the time left for the full
// search, the hard-coded copy of the visible result is always caught.
import t from 'tap'
import { copyOfResult, proposeDatasets } from '../../services/dbrunner/lib/dataset-proposals.ts'
import { defaultGradingSettings } from '../../services/dbrunner/lib/grading.ts'
import { runSql } from './in-process-sql.ts'

const database = `
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL);
INSERT INTO items VALUES (1, 'Anvil', 12.5), (2, 'Bucket', 3), (3, 'Chisel', 7.25);`
const answer = 'SELECT name FROM items WHERE price > 5 ORDER BY name'
const input = { database, datasets: [], answer, settings: defaultGradingSettings }

t.test('the copy of the visible result is caught even when the full search has no time', async t => {
  const visible = await runSql(database, answer)
  if ('error' in visible) throw new Error(visible.error)
  const copy = copyOfResult(visible)!
  const proposals = await proposeDatasets(runSql, input, { maxDatasets: 1, timeBudgetMs: 0 })
  t.equal(proposals.length, 1, 'one dataset is proposed')
  t.ok(proposals[0]!.kills.includes(copy), 'it catches the copy')
  const onIt = await runSql(proposals[0]!.initial_sql, answer)
  const copied = await runSql(proposals[0]!.initial_sql, copy)
  t.notSame(onIt, copied, 'on it the answer and the copy really differ')
})

t.test('with time the full search catches the copy among the mutants', async t => {
  const proposals = await proposeDatasets(runSql, input, { maxDatasets: 3, timeBudgetMs: 8000 })
  t.ok(proposals.length >= 1)
  const visible = await runSql(database, answer)
  if ('error' in visible) throw new Error(visible.error)
  t.ok(proposals.some(proposal => proposal.kills.includes(copyOfResult(visible)!)), 'one of them catches the copy')
  t.ok(proposals.flatMap(proposal => proposal.kills).length > 1, 'mutants are caught too')
})

t.test('an answer whose result does not depend on the data proposes nothing to copy', async t => {
  const proposals = await proposeDatasets(runSql, { ...input, answer: "SELECT 'constant' AS c" }, { maxDatasets: 1, timeBudgetMs: 500 })
  t.same(proposals, [])
})
