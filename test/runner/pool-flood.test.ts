// The runner under a flood, with the real engine and the production
// defaults: owners looping runaway queries (each within its limits) do not
// hold back another owner's fresh runs. The property asserted is the order:
// while the fresh owner's job waits, no flooder that used more runner time
// lately starts before it (on a quiet machine, none starts at all; on a
// loaded one the fresh owner's own runs cost more and a flooder that has
// had only a runaway or two may rightly go first). Latencies are reported
// (as comments), not asserted: speed is the benchmark's business.
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { ExecutionPool } from '../../services/dbrunner/lib/execution-pool.ts'
import { BudgetError, TimeoutError } from '../../services/dbrunner/lib/run-errors.ts'

const SCHEMA = 'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3);'
const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'
// Enough to see the order hold again and again; the benchmark measures latencies.
const FRESH_RUNS = 10

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

for (const flooders of [1, 8]) {
  t.test(`${flooders} owner(s) looping runaway queries, and a fresh owner`, async t => {
    const starts: string[] = []
    let freshWaiting = false
    const overtakes: string[] = []
    const pool: ExecutionPool = new ExecutionPool({
      size: 4,
      onJobStart: owner => {
        starts.push(owner)
        if (owner === 'fresh') freshWaiting = false
        else if (freshWaiting && pool.spentMs(owner) > pool.spentMs('fresh')) overtakes.push(`${owner} (${pool.spentMs(owner)} ms) before fresh (${pool.spentMs('fresh')} ms)`)
      }
    })
    let stop = false
    t.teardown(() => {
      stop = true
      return pool.close()
    })
    await pool.ready()

    let settled = 0
    const finished = new Map<string, number>()
    const loops = Array.from({ length: flooders }, async (_, i) => {
      const owner = `flooder ${i}`
      while (!stop) {
        try {
          await pool.run({ schemaKey: 'flood', initialSql: SCHEMA, query: RUNAWAY, owner })
        } catch (error) {
          // Refused until its budget returns: try again a little later, as a script would.
          if (error instanceof BudgetError) await sleep(200)
          else if (!(error instanceof TimeoutError)) break
        }
        settled++
        finished.set(owner, (finished.get(owner) ?? 0) + 1)
      }
    })
    // Every flooder has had a runaway end: from here on they have used runner time.
    while (finished.size < flooders) await sleep(20)

    const latencies: number[] = []
    const flooderStartsFirst: number[] = []
    const runawaysEnded: number[] = []
    let waited = 0
    for (let i = 0; i < FRESH_RUNS; i++) {
      const before = starts.length
      const settledBefore = settled
      let settledAtStart = -1
      const begin = performance.now()
      freshWaiting = true
      const run = pool.run({ schemaKey: 'fresh', initialSql: SCHEMA, query: `SELECT count(*) + ${i} FROM t`, owner: 'fresh' })
      if (!starts.slice(before).includes('fresh')) waited++
      const watch = setInterval(() => { if (settledAtStart === -1 && starts.slice(before).includes('fresh')) settledAtStart = settled }, 1)
      const result = await run
      clearInterval(watch)
      latencies.push(performance.now() - begin)
      t.same(result.rows, [[String(3 + i)]])
      flooderStartsFirst.push(starts.slice(before).indexOf('fresh'))
      runawaysEnded.push((settledAtStart === -1 ? settled : settledAtStart) - settledBefore)
      await sleep(100 + Math.random() * 200)
    }
    stop = true

    t.same(overtakes, [], 'no flooder that used more runner time started while a fresh job waited')
    t.comment(`flooder jobs started while a fresh job waited: ${flooderStartsFirst.map(n => Math.max(0, n)).reduce((a, b) => a + b, 0)}`)
    if (flooders * 1 >= 4) t.ok(waited > 0, `the flood kept every worker busy (${waited} of ${FRESH_RUNS} fresh runs had to wait)`)
    t.comment(`fresh runs with ${flooders} flooder(s): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms; waited ${waited}/${FRESH_RUNS}; runaways ended while one waited: max ${Math.max(...runawaysEnded)}`)
    t.comment(`pool: ${JSON.stringify(pool.stats())}`)
    await pool.close()
    await Promise.all(loops)
  })
}
