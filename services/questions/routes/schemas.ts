import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { queryResultSchema, structureReply } from '../../dbrunner/lib/api-schemas.ts'
import {
  schemaInput, studentSchema, studentSchemaFields, teacherSchema, teacherSchemaFields, type SchemaRecord
} from '../lib/api-shapes.ts'
import { errorResponses, errorSchema, fullSchemaSchema, newSchemaBody, pageOf, paging, schemaIdParams, schemaPatchBody, schemaSchema } from '../lib/api-schemas.ts'
import { RunnerRefusal } from '../lib/runner-client.ts'
import { checkSql } from '../lib/sql-checks.ts'
import { runOwner } from '../lib/current-user.ts'
import { HttpError } from '../../../lib/http-error.ts'

const structureSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, tables: structureReply.properties.tables },
  required: ['id', 'tables']
} as const

const schemaRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  const { schema: schemas, question: questions } = app.platformatic.entities

  async function findSchema (id: string, fields: readonly string[]): Promise<SchemaRecord> {
    const [found] = await schemas.find({ where: { id: { eq: id } }, fields: [...fields] as (keyof SchemaRecord)[] })
    if (!found) throw new HttpError(404, `schema ${id} does not exist`)
    return found
  }

  app.get('/schemas', {
    config: { sharedRead: true },
    schema: {
      summary: 'List schemas',
      tags: ['Schemas'],
      querystring: { ...paging, properties: { ...paging.properties, limit: { ...paging.properties.limit, default: 100 } } },
      response: { 200: { type: 'array', items: schemaSchema }, ...errorResponses }
    }
  }, async request => {
    const found = await schemas.find({ fields: [...studentSchemaFields], orderBy: [{ field: 'id', direction: 'asc' }], ...pageOf(request.query, 100) })
    return found.map(studentSchema)
  })

  app.get('/schemas/:id', {
    config: { sharedRead: true },
    schema: { summary: 'Get a schema', tags: ['Schemas'], params: schemaIdParams, response: { 200: schemaSchema, ...errorResponses } }
  }, async request => studentSchema(await findSchema(request.params.id, studentSchemaFields)))

  app.get('/schemas/:id/structure', {
    config: { sharedRead: true },
    schema: {
      summary: 'Get the tables and columns of a schema',
      tags: ['Schemas'],
      params: schemaIdParams,
      response: { 200: structureSchema, ...errorResponses }
    }
  }, async request => {
    const { id } = request.params
    const schema = await findSchema(id, ['initialSql'])
    try {
      return { id, tables: await app.runner.structure(schema.initialSql!, runOwner(request)) }
    } catch (error) {
      if (!(error instanceof RunnerRefusal)) throw error
      // The teachers' SQL is broken: logged for them, never shown.
      request.log.error({ schemaId: id, engineMessage: error.message }, 'schema error: the initial SQL of a schema fails')
      throw new HttpError(500, 'this schema does not build; the teachers have been told')
    }
  })

  // A teacher's draft query (say, a reference answer before it is saved) run
  // on a saved schema: what the question would show, before there is one.
  app.post('/schemas/:id/preview', {
    schema: {
      summary: 'Run a query on a schema and see its result (teachers)',
      description: 'Runs the query in a fresh sandboxed database built from the schema, as a student\'s run would, and answers the result. ' +
        'Nothing is recorded. 422 with the engine\'s message when the query fails.',
      tags: ['Teacher'],
      params: schemaIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { query: { type: 'string', minLength: 1, maxLength: 65536, description: 'The SQL to run (SQLite)' } },
        required: ['query']
      },
      response: { 200: queryResultSchema, 422: errorSchema, 429: errorSchema, ...errorResponses }
    }
  }, async request => {
    const { id } = request.params
    const { query } = request.body
    if (query.trim() === '') throw new HttpError(400, 'query: must not be empty')
    const schema = await findSchema(id, ['initialSql'])
    try {
      const run = await app.runner.run({ database: schema.initialSql!, query, owner: runOwner(request), result: true })
      return run.result ?? { header: [], rows: [] }
    } catch (error) {
      if (!(error instanceof RunnerRefusal)) throw error
      if (error.failure.stage === 'schema') throw new HttpError(409, `schema ${id} does not build: ${error.message}`)
      throw new HttpError(422, error.message)
    }
  })

  app.get('/schemas/:id/full', {
    schema: { summary: 'Get a schema with its initial SQL (teachers)', tags: ['Teacher'], params: schemaIdParams, response: { 200: fullSchemaSchema, ...errorResponses } }
  }, async request => teacherSchema(await findSchema(request.params.id, teacherSchemaFields)))

  app.post('/schemas', {
    schema: { summary: 'Create a schema (teachers)', tags: ['Teacher'], body: newSchemaBody, response: { 201: fullSchemaSchema, ...errorResponses } }
  }, async (request, reply) => {
    const input = schemaInput(request.body)
    const [existing] = await schemas.find({ where: { id: { eq: request.body.id } }, fields: ['id'] })
    if (existing) throw new HttpError(409, `schema ${request.body.id} already exists`)
    await checkSql(app.runner, { initialSql: request.body.initial_sql, owner: runOwner(request) })
    const [saved] = await schemas.insert({ inputs: [input as never], fields: [...teacherSchemaFields] })
    return reply.code(201).send(teacherSchema(saved!))
  })

  app.patch('/schemas/:id', {
    schema: { summary: 'Change a schema (teachers)', tags: ['Teacher'], params: schemaIdParams, body: schemaPatchBody, response: { 200: fullSchemaSchema, ...errorResponses } }
  }, async request => {
    const { id } = request.params
    await findSchema(id, ['id'])
    const input = schemaInput(request.body)
    if (input.initialSql !== undefined) {
      await checkSql(app.runner, { initialSql: input.initialSql, owner: runOwner(request) })
      // Every reference answer on this schema must still run on the new tables.
      const using = await questions.find({ where: { schemaId: { eq: id } }, fields: ['id', 'answer'] })
      for (const question of using) {
        try {
          await checkSql(app.runner, { initialSql: input.initialSql, query: question.answer, owner: runOwner(request) })
        } catch (error) {
          throw new HttpError(400, `initial_sql: the answer of question ${question.id} no longer runs: ${(error as Error).message.replace(/^answer: /, '')}`)
        }
      }
    }
    const [saved] = await schemas.updateMany({ where: { id: { eq: id } }, input: input as never, fields: [...teacherSchemaFields] })
    return teacherSchema(saved!)
  })

  app.delete('/schemas/:id', {
    schema: { summary: 'Delete a schema no question uses (teachers)', tags: ['Teacher'], params: schemaIdParams, response: { 204: { type: 'null' }, ...errorResponses } }
  }, async (request, reply) => {
    const { id } = request.params
    const used = await questions.count({ where: { schemaId: { eq: id } } })
    if (used > 0) throw new HttpError(409, `schema ${id} is used by ${used} question${used === 1 ? '' : 's'}; delete or move them first`)
    const deleted = await schemas.delete({ where: { id: { eq: id } }, fields: ['id'] })
    if (deleted.length === 0) throw new HttpError(404, `schema ${id} does not exist`)
    return reply.code(204).send(null)
  })
}

export default schemaRoutes
