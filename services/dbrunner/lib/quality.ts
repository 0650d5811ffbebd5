// A question's quality report: does its reference answer run everywhere and
// give one result whatever order the rows are stored in (deterministic), and
// how many plausible wrong answers (mutants of the answer) its data catches.
import { tieBreakingVariants } from './answer-ties.ts'
import { dumpDatabase } from './database-dump.ts'
import { compareWith, rulesFor, type GradingSettings } from './grading.ts'
import { mutationScore } from './mutation-score.ts'
import { normaliseQuery } from './normalise.ts'
import { RunFailure } from './run-failure.ts'
import type { RunSql } from './sql-runs.ts'
import type { QueryResult } from './sql-engine.ts'

export interface EquivalentMutant {
  query: string
  reason: string
}

export interface QualityInput {
  database: string
  datasets: string[]
  answer: string
  settings: GradingSettings
  /** surviving mutants the teacher judged equivalent to the answer */
  equivalentMutants?: EquivalentMutant[]
}

export interface QualityReport {
  deterministic: boolean
  /** why the answer is not deterministic, and what a teacher should know */
  warnings: string[]
  /** how many hidden datasets the question has */
  datasets: number
  mutants: { total: number, killed: number, survived: number, equivalent: number, score: number }
  survivors: { operator: string, query: string }[]
  equivalent: { operator: string, query: string, reason: string }[]
}

const where = (index: number) => index === 0 ? 'the schema' : `hidden dataset ${index}`

/**
 * The reference answer's result on every database, in order (the schema's
 * first). It must run and give at least one column; else RunFailure naming
 * the dataset (its index among the hidden ones, null for the schema).
 */
export async function answerResults (runSql: RunSql, databases: string[], answer: string): Promise<QueryResult[]> {
  const results: QueryResult[] = []
  for (const [index, database] of databases.entries()) {
    const dataset = index === 0 ? null : index - 1
    const result = await runSql(database, answer)
    // On the schema, the engine's own words; on a dataset, which one.
    const on = index === 0 ? '' : `on ${where(index)}: `
    if ('error' in result) throw new RunFailure('answer', `${on}${result.error}`, { dataset })
    if (result.header.length === 0) throw new RunFailure('answer', `${on}the reference answer returns no columns`, { dataset })
    results.push(result)
  }
  return results
}

function how (reason: string | undefined): string {
  return reason === 'order differs'
    ? 'its rows come out in another order (rows that tie on its ORDER BY keys where the order is checked row by row)'
    : 'it gives other rows (a LIMIT without an ORDER BY that decides every row, ties at the LIMIT, or random())'
}

// The same rows stored in another order, scanned in another order, or with
// ties settled otherwise must give the same verdict-relevant result. What
// differs, and how, says why not.
async function orderProblems (runSql: RunSql, databases: string[], results: QueryResult[], input: QualityInput): Promise<string[]> {
  for (const [index, database] of databases.entries()) {
    const expected = results[index]
    const rules = rulesFor(input.answer, expected.header, input.settings)
    const trials: { what: string, run: () => Promise<QueryResult | { error: string }> }[] = [
      ...(['reverse', 'shuffle'] as const).map(order => ({
        what: `with the rows stored in ${order === 'reverse' ? 'reverse' : 'shuffled'} order`,
        run: async () => runSql(await dumpDatabase(runSql, database, { order, seed: 7 }), input.answer)
      })),
      ...tieBreakingVariants(input.answer, expected.header.length).map(variant => ({
        what: 'with rows that tie (or are scanned in no decided order) taken in another order',
        run: () => runSql(database, variant)
      }))
    ]
    for (const trial of trials) {
      const result = await trial.run()
      // A variant the engine refuses proves nothing either way.
      if ('error' in result) continue
      const verdict = compareWith(expected, result, rules)
      if (!verdict.same) return [`on ${where(index)} ${trial.what}, ${how(verdict.reason)}`]
    }
  }
  return []
}

function orderWarnings (answer: string, header: string[], settings: GradingSettings): string[] {
  if (settings.row_order !== 'auto') return []
  const rules = rulesFor(answer, header, settings)
  if (rules.order.kind !== 'sequence') return []
  return ['an ORDER BY key is not a column of the result, so rows are checked in the exact order of the reference: rows that tie on the keys may make a right answer look wrong; select the key, or add keys until no rows tie']
}

export async function qualityReport (runSql: RunSql, input: QualityInput): Promise<QualityReport> {
  const databases = [input.database, ...input.datasets]
  const results = await answerResults(runSql, databases, input.answer)
  const problems = await orderProblems(runSql, databases, results, input)
  const same = (expected: QueryResult, actual: QueryResult) => compareWith(expected, actual, rulesFor(input.answer, expected.header, input.settings)).same
  const score = await mutationScore({ databases, answer: input.answer, runSql, same })
  const { survivors, equivalent } = judgedSurvivors(score.survivors, input.equivalentMutants)
  const counted = score.total - equivalent.length
  return {
    deterministic: problems.length === 0,
    warnings: [...problems, ...orderWarnings(input.answer, results[0].header, input.settings)],
    datasets: input.datasets.length,
    mutants: {
      total: score.total,
      killed: score.killed,
      survived: survivors.length,
      equivalent: equivalent.length,
      score: counted === 0 ? 1 : Math.round(score.killed / counted * 1000) / 1000
    },
    survivors,
    equivalent
  }
}

/**
 * Splits the survivors into those judged equivalent to the answer (matched
 * as the engine reads them: spacing and keyword case do not matter) and the
 * rest. A judgement that matches no survivor (the data now kills that
 * mutant, or the answer changed) counts for nothing.
 */
export function judgedSurvivors (survivors: { operator: string, query: string }[], judged: EquivalentMutant[] = []) {
  const reasons = new Map(judged.map(mutant => [normaliseQuery(mutant.query), mutant.reason]))
  const equivalent: QualityReport['equivalent'] = []
  const rest: QualityReport['survivors'] = []
  for (const survivor of survivors) {
    const reason = reasons.get(normaliseQuery(survivor.query))
    if (reason === undefined) rest.push(survivor)
    else equivalent.push({ ...survivor, reason })
  }
  return { survivors: rest, equivalent }
}
