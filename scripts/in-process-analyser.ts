// A bank's SQL checked by the runner's own code in this process (the
// sandboxed engine and the quality report), so `npm run bank:import` needs no
// running system: the same checks and messages as the route's runner calls.
import { HttpError } from '../lib/http-error.ts'
import { defaultGradingSettings } from '../services/dbrunner/lib/grading.ts'
import { qualityReport } from '../services/dbrunner/lib/quality.ts'
import { RunFailure } from '../services/dbrunner/lib/run-failure.ts'
import { inProcessRuns } from '../services/dbrunner/lib/in-process-runs.ts'
import type { BankAnalyser } from '../services/questions/lib/bank.ts'
import { selfTest } from '../services/questions/lib/question-quality.ts'
import { RunnerRefusal, type QualityReport, type QuestionSql } from '../services/questions/lib/runner-client.ts'

export async function inProcessAnalyser (): Promise<BankAnalyser> {
  const { runSql, imageOf } = await inProcessRuns()
  const quality = async (question: QuestionSql): Promise<QualityReport> => {
    try {
      return await qualityReport(runSql, {
        database: question.database,
        datasets: question.datasets ?? [],
        answer: question.answer,
        settings: { ...defaultGradingSettings, ...question.settings }
      })
    } catch (error) {
      // As the runner answers it: a 422 naming the stage and the dataset.
      if (error instanceof RunFailure) {
        const details = error.details as { dataset?: number | null, code?: string }
        throw new RunnerRefusal({ message: error.message, stage: error.stage, code: details.code, dataset: details.dataset ?? null })
      }
      throw error
    }
  }
  return {
    async checkSchema (initialSql) {
      const image = imageOf(initialSql)
      if (image instanceof Error) throw new HttpError(400, `initial_sql: ${image.message}`)
    },
    selfTest: question => selfTest({ quality }, question)
  }
}
