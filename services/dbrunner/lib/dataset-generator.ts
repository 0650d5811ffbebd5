// Proposes small datasets (the question's tables with other rows) that tell
// wrong queries apart from the reference answer, for use as hidden datasets.
// Candidates are the visible rows perturbed (dataset-perturbations.ts); each
// is built and checked against the schema's constraints, and kept when it
// kills a target nothing kept so far kills: merged into a kept dataset when
// the merge still kills everything both killed, else kept on its own while
// there is room. Targets the visible database already kills are aimed at
// only when it kills them all (each proposal still names every target it
// kills). Deterministic for the same input, as long as the time budget is
// not what stops the search.
import { readSchema } from './database-schema.ts'
import { evaluate, OUT_OF_TIME, readVisible, type EvaluationContext } from './dataset-evaluation.ts'
import { perturbations } from './dataset-perturbations.ts'
import { dropOrphans, datasetKey, mergeChanges, type Dataset } from './dataset-rows.ts'
import { readComparisons } from './query-comparisons.ts'
import { seedOf } from './seeded-random.ts'
import { isError, type RunSql, type SameResult } from './sql-literals.ts'

export type { RunSql, SameResult } from './sql-literals.ts'

export interface GenerateDatasetsOptions {
  /** SQL of the visible database */
  database: string
  /** the reference answer */
  answer: string
  /** queries to tell apart from the answer (wrong answers, mutants of the answer) */
  targets: string[]
  runSql: RunSql
  same: SameResult
  maxRowsPerTable?: number
  maxDatasets?: number
  timeBudgetMs?: number
}

export interface ProposedDataset {
  /** SQL that builds the dataset: the schema's CREATE statements and the rows */
  initial_sql: string
  /** the targets that give another result than the answer on it (or fail) */
  kills: string[]
}

interface Kept {
  data: Dataset
  killed: Set<number>
}

const fits = (data: Dataset, max: number) => [...data.values()].every(rows => rows.length <= max)

export async function generateDatasets (options: GenerateDatasetsOptions): Promise<ProposedDataset[]> {
  const { database, answer, targets, runSql, same } = options
  const maxRows = options.maxRowsPerTable ?? 32
  const maxDatasets = options.maxDatasets ?? 5
  const started = Date.now()
  const deadline = started + (options.timeBudgetMs ?? 5000)
  const schema = await readSchema(runSql, database)
  const { ctx, base, expected } = await readVisible({ database, answer, runSql, same, maxRowsPerTable: maxRows, deadline, schema })
  if (targets.length === 0 || maxDatasets <= 0) return []

  const visibleKills = new Set<number>()
  for (const [index, target] of targets.entries()) {
    const actual = await runSql(database, target)
    if (isError(actual) || !same(expected, actual)) visibleKills.add(index)
  }
  // What is left to kill: the targets the visible data lets through, or all when it kills every one.
  let alive = new Set([...targets.keys()].filter(index => !visibleKills.has(index)))
  if (alive.size === 0) alive = new Set(targets.keys())

  const kept: Kept[] = []
  const seen = new Set<string>()
  let runs = 0
  const timed = async (data: Dataset, indexes: Iterable<number>) => {
    const list = [...indexes]
    runs += 2 + list.length
    return evaluate(ctx, data, targets, list, true)
  }
  // Enough time must be left to say what each kept dataset kills.
  const searchEnds = () => {
    const perRun = runs === 0 ? 0 : (Date.now() - started) / runs
    return Date.now() + perRun * (kept.length + 1) * (targets.length + 2) >= deadline
  }

  const candidates = perturbations({ schema, comparisons: readComparisons(schema, [answer, ...targets]), maxRowsPerTable: maxRows, seed: seedOf(`${database}\u0000${answer}`) })
  let first = true
  while (alive.size > 0 && !searchEnds()) {
    let data: Dataset | null
    if (first) {
      data = base
      first = false
    } else {
      const next = candidates.next()
      if (next.done === true) break
      data = next.value.apply(base)
    }
    if (data === null || !fits(data, maxRows)) continue
    const key = datasetKey(data)
    if (seen.has(key)) continue
    seen.add(key)
    const tried = await timed(data, alive)
    if (tried === OUT_OF_TIME) break
    if (tried === null || tried.killed.size === 0) continue
    if (!await mergeOrKeep(ctx, base, kept, data, tried.killed, { maxRows, maxDatasets, timed })) continue
    for (const index of tried.killed) alive.delete(index)
  }

  const proposals: ProposedDataset[] = []
  for (const { data } of kept) {
    const tried = await evaluate({ ...ctx, deadline: Infinity }, data, targets, targets.keys(), true)
    if (tried === null || tried === OUT_OF_TIME) continue
    proposals.push({ initial_sql: tried.sql, kills: [...tried.killed].sort((a, b) => a - b).map(index => targets[index]) })
  }
  return proposals
}

/** Merges `data` into a kept dataset that then still kills what both killed, else keeps it when there is room. */
async function mergeOrKeep (
  ctx: EvaluationContext, base: Dataset, kept: Kept[], data: Dataset, killed: Set<number>,
  limits: { maxRows: number, maxDatasets: number, timed: (data: Dataset, indexes: Iterable<number>) => ReturnType<typeof evaluate> }
): Promise<boolean> {
  for (const keeper of kept) {
    const merged = mergeChanges(ctx.schema, base, keeper.data, data)
    dropOrphans(ctx.schema, merged)
    if (!fits(merged, limits.maxRows)) continue
    const both = new Set([...keeper.killed, ...killed])
    const tried = await limits.timed(merged, both)
    if (tried === OUT_OF_TIME) return false
    if (tried === null || tried.killed.size < both.size) continue
    keeper.data = merged
    keeper.killed = both
    return true
  }
  if (kept.length >= limits.maxDatasets) return false
  kept.push({ data, killed: new Set(killed) })
  return true
}
