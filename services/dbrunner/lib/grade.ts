// Grades a query against a reference answer: on the database the student
// sees, then on every hidden dataset. What differs on a hidden dataset is
// never shown, only that it failed; a run that fails or times out there is
// the same answer as a mismatch, so probing costs what guessing costs.
import { findCounterexample, type Counterexample } from './counterexample.ts'
import { compareWith, differs, rulesFor, type GradingSettings, type Verdict } from './grading.ts'
import { sqlRuns } from './sql-runs.ts'
import { asRunFailure, RunFailure } from './run-failure.ts'
import { runOutput, type RunDeps } from './runs.ts'
import type { QueryResult } from './sql-engine.ts'

export interface GradeInput {
  /** the SQL of the database the student sees */
  database: string
  /** SQL of the hidden datasets: the same tables with other rows */
  datasets: string[]
  answer: string
  query: string
  owner?: string
  settings?: GradingSettings
}

// The reference answer must give a result everywhere: if not, the question
// is broken (RunFailure 'answer' or 'schema'), never the student.
async function expectedOn (deps: RunDeps, database: string, input: GradeInput, dataset: number | null): Promise<QueryResult> {
  const { record, output } = await runOutput(deps, { database, query: input.answer, owner: input.owner })
    .catch(error => { throw asRunFailure(error, 'answer', dataset) })
  if (!output) throw new RunFailure('answer', record.error?.message ?? 'the reference answer does not run', { code: record.error?.code, dataset })
  return output
}

// The student's result. On a hidden dataset a failure (error, timeout) is
// null: the same answer as a mismatch. On the visible database it is a
// RunFailure with the engine's message, as when the query was first run.
async function actualOn (deps: RunDeps, database: string, input: GradeInput, dataset: number | null): Promise<{ output: QueryResult, outputHash: string } | null> {
  let run
  try {
    run = await runOutput(deps, { database, query: input.query, owner: input.owner })
  } catch (error) {
    const failure = asRunFailure(error, 'query', dataset)
    if (dataset !== null && failure instanceof RunFailure && failure.stage === 'query') return null
    throw failure
  }
  if (run.output) return { output: run.output, outputHash: run.record.outputHash! }
  if (dataset !== null) return null
  throw new RunFailure('query', run.record.error?.message ?? 'the query does not run', { code: run.record.error?.code })
}

export interface Graded {
  verdict: Verdict & { counterexample?: Counterexample }
  /** the output hash of the query's result on the visible database: the same mistake has the same hash */
  outputHash: string
}

export async function grade (deps: RunDeps, input: GradeInput): Promise<Graded> {
  const compare = (expected: QueryResult, actual: QueryResult) => compareWith(expected, actual, rulesFor(input.answer, expected.header, input.settings))
  const expected = await expectedOn(deps, input.database, input, null)
  const actual = (await actualOn(deps, input.database, input, null))!
  const verdict = compare(expected, actual.output)
  if (!verdict.same) return { verdict, outputHash: actual.outputHash }
  for (const [index, dataset] of input.datasets.entries()) {
    const hiddenExpected = await expectedOn(deps, dataset, input, index)
    const hiddenActual = await actualOn(deps, dataset, input, index)
    if (!hiddenActual || !compare(hiddenExpected, hiddenActual.output).same) {
      return { verdict: { ...differs('fails on a hidden dataset'), ...await explain(deps, input, compare) }, outputHash: actual.outputHash }
    }
  }
  return { verdict, outputHash: actual.outputHash }
}

// Why a query that is right on the visible data fails on a hidden dataset,
// shown without showing the hidden data: a small dataset generated from the
// visible data alone on which the query and the answer differ, when one is
// found within a second.
async function explain (deps: RunDeps, input: GradeInput, compare: (expected: QueryResult, actual: QueryResult) => Verdict): Promise<{ counterexample?: Counterexample }> {
  const counterexample = await findCounterexample({
    database: input.database,
    answer: input.answer,
    query: input.query,
    runSql: sqlRuns(deps, input.owner ?? 'anonymous'),
    same: (expected, actual) => compare(expected, actual).same,
    timeBudgetMs: 1000
  }).catch(() => null)
  return counterexample === null ? {} : { counterexample }
}
