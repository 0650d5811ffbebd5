import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, idParams, numericId, qualityReportSchema } from '../lib/api-schemas.ts'
import { generatedDatasetsSchema } from '../../dbrunner/lib/api-schemas.ts'
import { HttpError } from '../../../lib/http-error.ts'
import type { HiddenDataset } from '../../../types/index.d.ts'
import type { Tables } from '../lib/runner-client.ts'
import { checkSql, structureOf } from '../lib/sql-checks.ts'
import { proposeDatasets, selfTest } from '../lib/question-quality.ts'
import { RunnerRefusal } from '../lib/runner-client.ts'
import { runOwner } from '../lib/current-user.ts'
import { equivalentMutantsOf } from '../lib/api-shapes.ts'

type TableShape = Pick<Tables[number], 'name' | 'columns'>

const datasetSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    question_id: { type: 'string' },
    initial_sql: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' }
  },
  required: ['id', 'question_id', 'initial_sql', 'created_at']
} as const

function describe (tables: TableShape[]): string {
  return tables.map(table => `${table.name}(${table.columns.map(column => column.name).join(', ')})`).join(', ')
}

// Same tables with the same columns, in any table order.
function sameShape (a: TableShape[], b: TableShape[]): boolean {
  const key = (tables: TableShape[]) => JSON.stringify(tables.map(table => [table.name.toLowerCase(), table.columns.map(column => column.name.toLowerCase())]).sort())
  return key(a) === key(b)
}

// Hidden datasets: the question's tables with other rows. Compare runs on
// every one of them, so a hard-coded answer cannot pass. Teachers only; the
// SQL never reaches students.
const datasetRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  const { question: questions, schema: schemas, hiddenDataset: datasets } = app.platformatic.entities

  async function questionWithSchema (id: string) {
    const [question] = await questions.find({ where: { id: { eq: id } }, fields: ['id', 'schemaId', 'answer'] })
    if (!question) throw new HttpError(404, `question ${id} does not exist`)
    const [schema] = await schemas.find({ where: { id: { eq: question.schemaId } }, fields: ['initialSql'] })
    return { question, schemaSql: String(schema?.initialSql) }
  }

  const shape = (row: Partial<HiddenDataset>) => ({
    id: String(row.id),
    question_id: String(row.questionId),
    initial_sql: String(row.initialSql),
    created_at: new Date(row.createdAt ?? 0).toISOString()
  })

  app.post('/questions/:id/datasets', {
    schema: {
      summary: 'Attach a hidden dataset to a question (teachers)',
      description: 'SQL that creates the same tables as the question\'s schema, with other rows. Refused with 400 when its tables or columns differ, ' +
        'or when the reference answer does not run on it or is not deterministic there. The answer includes the question\'s quality report.',
      tags: ['Teacher'],
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { initial_sql: { type: 'string', minLength: 1, maxLength: 1048576 } },
        required: ['initial_sql']
      },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, quality: qualityReportSchema }, required: ['id', 'quality'] }, ...errorResponses }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const { initial_sql: initialSql } = request.body
    const { question, schemaSql } = await questionWithSchema(id)
    const [expected, actual] = [await structureOf(app.runner, schemaSql, runOwner(request)), await structureOf(app.runner, initialSql, runOwner(request))]
    if (!sameShape(expected, actual)) {
      throw new HttpError(400, `initial_sql: the dataset must create the same tables and columns as the schema: ${describe(expected)}; it creates ${describe(actual) || 'no table'}`)
    }
    const quality = await selfTest(app.runner, { ...await questionSql(id), datasets: [...await app.challenges.store.datasets(id), initialSql], owner: runOwner(request) })
    const [saved] = await datasets.insert({ inputs: [{ questionId: id, initialSql }], fields: ['id'] })
    return reply.code(201).send({ id: String(saved!.id), quality })
  })

  // What the runner needs to analyse a question.
  async function questionSql (id: string) {
    const question = await app.challenges.store.questionForRun(id)
    if (!question) throw new HttpError(404, `question ${id} does not exist`)
    const [judged] = await questions.find({ where: { id: { eq: id } }, fields: ['equivalentMutants'] })
    return {
      database: question.schemaSql,
      datasets: await app.challenges.store.datasets(id),
      answer: question.answer,
      settings: question.settings,
      equivalent_mutants: equivalentMutantsOf(judged ?? {})
    }
  }

  app.get('/questions/:id/quality', {
    schema: {
      summary: 'The quality report of a question (teachers)',
      description: 'Whether the reference answer is deterministic, and how many mutants of it (plausible wrong answers) the schema and the hidden datasets tell apart; ' +
        'the survivors are listed (some may be equivalent to the answer: no data can tell them apart).',
      tags: ['Teacher'],
      params: idParams,
      response: { 200: qualityReportSchema, ...errorResponses }
    }
  }, async request => {
    const question = await questionSql(request.params.id)
    return app.runner.quality({ ...question, owner: runOwner(request) }).catch(error => {
      // A question saved before its answer stopped running on its data.
      if (error instanceof RunnerRefusal) throw new HttpError(409, `the question cannot be analysed: ${error.message}`)
      throw error
    })
  })

  app.post('/questions/:id/datasets/generate', {
    schema: {
      summary: 'Propose hidden datasets that catch more wrong answers (teachers)',
      description: 'Up to 5 datasets (at most 32 rows per table) built from the schema\'s rows by perturbations, within its constraints, chosen to tell apart the mutants ' +
        'of the reference answer that the question\'s data does not catch yet; each says which it kills. Nothing is attached: attach the ones you want with POST /questions/{id}/datasets.',
      tags: ['Teacher'],
      params: idParams,
      response: { 200: generatedDatasetsSchema, ...errorResponses }
    }
  }, async request => ({ datasets: await proposeDatasets(app.runner, { ...await questionSql(request.params.id), owner: runOwner(request) }) }))

  app.get('/questions/:id/datasets', {
    schema: {
      summary: 'List the hidden datasets of a question (teachers)',
      tags: ['Teacher'],
      params: idParams,
      response: { 200: { type: 'array', items: datasetSchema }, ...errorResponses }
    }
  }, async request => {
    const { id } = request.params
    await questionWithSchema(id)
    const rows = await datasets.find({ where: { questionId: { eq: id } }, orderBy: [{ field: 'id', direction: 'asc' }] })
    return rows.map(shape)
  })

  app.delete('/questions/:id/datasets/:dataset_id', {
    schema: {
      summary: 'Remove a hidden dataset (teachers)',
      tags: ['Teacher'],
      params: {
        type: 'object',
        properties: { id: idParams.properties.id, dataset_id: numericId },
        required: ['id', 'dataset_id']
      },
      response: { 204: { type: 'null' }, ...errorResponses }
    }
  }, async (request, reply) => {
    const { id, dataset_id: datasetId } = request.params
    const deleted = await datasets.delete({ where: { id: { eq: datasetId }, questionId: { eq: id } }, fields: ['id'] })
    if (deleted.length === 0) throw new HttpError(404, `dataset ${datasetId} of question ${id} does not exist`)
    return reply.code(204).send(null)
  })
}

export default datasetRoutes
