import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, idParams, numericId } from '../lib/api-schemas.ts'
import { HttpError } from '../../../lib/http-error.ts'
import type { HiddenDataset } from '../../../types/index.d.ts'
import type { Tables } from '../lib/runner-client.ts'
import { checkSql, structureOf } from '../lib/sql-checks.ts'
import { runOwner } from '../lib/current-user.ts'

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
      description: 'SQL that creates the same tables as the question\'s schema, with other rows. Refused with 400 when its tables or columns differ, or when the reference answer does not run on it.',
      tags: ['Teacher'],
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { initial_sql: { type: 'string', minLength: 1, maxLength: 1048576 } },
        required: ['initial_sql']
      },
      response: { 201: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, ...errorResponses }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const { initial_sql: initialSql } = request.body
    const { question, schemaSql } = await questionWithSchema(id)
    const [expected, actual] = [await structureOf(app.runner, schemaSql, runOwner(request)), await structureOf(app.runner, initialSql, runOwner(request))]
    if (!sameShape(expected, actual)) {
      throw new HttpError(400, `initial_sql: the dataset must create the same tables and columns as the schema: ${describe(expected)}; it creates ${describe(actual) || 'no table'}`)
    }
    await checkSql(app.runner, { initialSql, query: String(question.answer), owner: runOwner(request) })
    const [saved] = await datasets.insert({ inputs: [{ questionId: id, initialSql }], fields: ['id'] })
    return reply.code(201).send({ id: String(saved!.id) })
  })

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
