// Datasets proposed to a teacher: generated to tell apart the mutants of the
// reference answer that the question's data does not catch yet.
import { generateDatasets, type ProposedDataset } from './dataset-generator.ts'
import { normaliseQuery } from './normalise.ts'
import { compareWith, rulesFor } from './grading.ts'
import { mutationScore } from './mutation-score.ts'
import { answerResults, judgedSurvivors, type QualityInput } from './quality.ts'
import type { RunSql } from './sql-runs.ts'
import type { QueryResult } from './sql-engine.ts'

export async function proposeDatasets (runSql: RunSql, input: QualityInput, options: { maxDatasets?: number, timeBudgetMs?: number } = {}): Promise<ProposedDataset[]> {
  const databases = [input.database, ...input.datasets]
  const [visible, ...hidden] = await answerResults(runSql, databases, input.answer)
  const same = (expected: QueryResult, actual: QueryResult) => compareWith(expected, actual, rulesFor(input.answer, expected.header, input.settings)).same
  // Mutants judged equivalent are not worth a dataset: none can kill them.
  const { survivors } = judgedSurvivors((await mutationScore({ databases, answer: input.answer, runSql, same })).survivors, input.equivalentMutants)
  // The visible result copied row by row is a wrong answer too: the data
  // must tell it apart (unless the answer gives the same rows everywhere).
  const copy = hidden.some(result => !same(result, visible)) ? null : copyOfResult(visible)
  // A constant answer is its own copy: nothing to tell apart.
  const copied = copy !== null && normaliseQuery(copy) !== normaliseQuery(input.answer) ? copy : null
  const maxDatasets = options.maxDatasets ?? 5
  const timeBudgetMs = options.timeBudgetMs ?? 8000
  const generate = (targets: string[], budgetMs: number, max: number) =>
    generateDatasets({ database: input.database, answer: input.answer, targets, runSql, same, maxDatasets: max, timeBudgetMs: budgetMs })
  const proposals = await generate([...(copied === null ? [] : [copied]), ...survivors.map(survivor => survivor.query)], timeBudgetMs, maxDatasets)
  if (copied === null || maxDatasets <= 0 || proposals.some(proposal => proposal.kills.includes(copied))) return proposals
  // The copy must be caught whatever else is: a search for it alone ends at
  // the first dataset on which the answer's result changes, so a few runs
  // suffice even on a loaded machine where the full search ran out of time.
  const [forCopy] = await generate([copied], Math.max(timeBudgetMs, 5000), 1)
  return forCopy === undefined ? proposals : [forCopy, ...proposals].slice(0, maxDatasets)
}

const literal = (cell: string | null) => cell === null ? 'NULL' : `'${cell.replaceAll("'", "''")}'`

/** A query that returns `result`'s rows as written, with no table: the hard-coded answer. */
export function copyOfResult (result: QueryResult): string | null {
  if (result.header.length === 0 || result.rows.length > 1000) return null
  if (result.rows.length === 0) return `SELECT ${result.header.map(() => 'NULL').join(', ')} WHERE 0`
  return result.rows.map(row => `SELECT ${row.map(literal).join(', ')}`).join(' UNION ALL ')
}
