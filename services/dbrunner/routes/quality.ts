import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, generateBody, generatedDatasetsSchema, qualityReportSchema, questionSqlBody } from '../lib/api-schemas.ts'
import { proposeDatasets } from '../lib/dataset-proposals.ts'
import { defaultGradingSettings } from '../lib/grading.ts'
import { qualityReport } from '../lib/quality.ts'
import { sqlRuns } from '../lib/sql-runs.ts'

// Analyses of a question run as background work: fairly scheduled after
// students' runs, never refused for a budget (see plugins/runner.ts).
const backgroundOwner = (owner: string | undefined) => `background:${owner ?? 'teacher'}`

const qualityRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.post('/quality', {
    schema: {
      summary: 'The quality report of a question',
      description: 'Whether the reference answer runs on the schema and every hidden dataset and gives the same result whatever order the rows are stored in, ' +
        'and how many mutants of it (plausible wrong answers) the data tells apart. A 422 names the dataset the answer fails on.',
      tags: ['Quality'],
      body: questionSqlBody,
      response: { 200: qualityReportSchema, ...errorResponses }
    }
  }, async request => {
    const { database, datasets, answer, settings, owner, equivalent_mutants: equivalentMutants } = request.body
    return qualityReport(sqlRuns(app.runs, backgroundOwner(owner)), { database, datasets, answer, settings: { ...defaultGradingSettings, ...settings }, equivalentMutants })
  })

  app.post('/datasets/generate', {
    schema: {
      summary: 'Propose hidden datasets that tell surviving mutants apart',
      description: 'Up to 5 datasets built from the schema\'s own rows by perturbations (duplicates, NULLs, values at and around the answer\'s constants, ' +
        'rows without a join partner, empty tables), within the schema\'s constraints, chosen to kill as many surviving mutants as possible.',
      tags: ['Quality'],
      body: generateBody,
      response: { 200: generatedDatasetsSchema, ...errorResponses }
    }
  }, async request => {
    const { database, datasets, answer, settings, owner, equivalent_mutants: equivalentMutants, max_datasets: maxDatasets, time_budget_ms: timeBudgetMs } = request.body
    const question = { database, datasets, answer, settings: { ...defaultGradingSettings, ...settings }, equivalentMutants }
    return { datasets: await proposeDatasets(sqlRuns(app.runs, backgroundOwner(owner)), question, { maxDatasets, timeBudgetMs }) }
  })
}

export default qualityRoutes
