// A question's self-test and quality report, asked of the runner before a
// save: its reference answer must run on the schema and every hidden dataset
// and give the same result whatever order the rows are stored in. Refusals
// name the field (and the dataset) they concern.
import { HttpError } from '../../../lib/http-error.ts'
import { RunnerRefusal, type GeneratedDatasets, type QualityReport, type QuestionSql, type RunnerClient } from './runner-client.ts'

export type { QualityReport }

function asFieldError (error: unknown): unknown {
  if (!(error instanceof RunnerRefusal)) return error
  const { stage, message, dataset } = error.failure
  if (stage === 'schema') return new HttpError(400, `${dataset === null || dataset === undefined ? 'initial_sql' : `initial_sql of hidden dataset ${dataset + 1}`}: ${message}`)
  return new HttpError(400, `answer: ${message}`)
}

/** The quality report, or a 400 naming why the answer cannot be saved. */
export async function selfTest (runner: Pick<RunnerClient, 'quality'>, question: QuestionSql): Promise<QualityReport> {
  const report = await runner.quality(question).catch(error => { throw asFieldError(error) })
  if (!report.deterministic) {
    throw new HttpError(400, `answer: the reference answer is not deterministic: ${report.warnings[0]}. ` +
      'Order by keys that decide every row (a LIMIT needs an ORDER BY that leaves no ties at its end), avoid random(), or set grading.row_order to any when the order does not matter.')
  }
  return report
}

export async function proposeDatasets (runner: Pick<RunnerClient, 'generateDatasets'>, question: QuestionSql, limits: { maxDatasets?: number, timeBudgetMs?: number } = {}): Promise<GeneratedDatasets> {
  return runner.generateDatasets({ ...question, max_datasets: limits.maxDatasets, time_budget_ms: limits.timeBudgetMs }).catch(error => { throw asFieldError(error) })
}
