import type { FastifyInstance } from 'fastify'
import {
  schemaInput, studentSchema, studentSchemaFields, teacherSchema, teacherSchemaFields, type SchemaRecord
} from '../lib/api-shapes.ts'
import { errorResponses, fullSchemaSchema, newSchemaBody, paging, schemaIdParams, schemaPatchBody, schemaSchema } from '../lib/api-schemas.ts'
import { checkSql } from '../lib/runner-client.ts'
import { HttpError } from '../../../lib/http-error.ts'

export default async function schemaRoutes (app: FastifyInstance) {
  const { schema: schemas, question: questions } = app.platformatic.entities

  async function findSchema (id: string, fields: string[]): Promise<SchemaRecord> {
    const [found] = await schemas.find({ where: { id: { eq: id } }, fields: fields as never })
    if (!found) throw new HttpError(404, `schema ${id} does not exist`)
    return found as SchemaRecord
  }

  app.get('/schemas', {
    schema: {
      summary: 'List schemas',
      tags: ['Schemas'],
      querystring: { ...paging, properties: { ...paging.properties, limit: { ...paging.properties.limit, default: 100 } } },
      response: { 200: { type: 'array', items: schemaSchema }, ...errorResponses }
    }
  }, async request => {
    const { limit, offset } = request.query as { limit: number, offset: number }
    const found = await schemas.find({ fields: studentSchemaFields as never, orderBy: [{ field: 'id', direction: 'asc' }], limit: Math.min(limit, 100), offset })
    return found.map(record => studentSchema(record as SchemaRecord))
  })

  app.get('/schemas/:id', {
    schema: { summary: 'Get a schema', tags: ['Schemas'], params: schemaIdParams, response: { 200: schemaSchema, ...errorResponses } }
  }, async request => studentSchema(await findSchema((request.params as { id: string }).id, studentSchemaFields)))

  app.get('/schemas/:id/full', {
    schema: { summary: 'Get a schema with its initial SQL (teachers)', tags: ['Teacher'], params: schemaIdParams, response: { 200: fullSchemaSchema, ...errorResponses } }
  }, async request => teacherSchema(await findSchema((request.params as { id: string }).id, teacherSchemaFields)))

  app.post('/schemas', {
    schema: { summary: 'Create a schema (teachers)', tags: ['Teacher'], body: newSchemaBody, response: { 201: fullSchemaSchema, ...errorResponses } }
  }, async (request, reply) => {
    const input = schemaInput(request.body as Record<string, unknown>)
    const [existing] = await schemas.find({ where: { id: { eq: input.id } }, fields: ['id'] })
    if (existing) throw new HttpError(409, `schema ${input.id} already exists`)
    await checkSql({ initialSql: input.initialSql! })
    const [saved] = await schemas.insert({ inputs: [input as never], fields: teacherSchemaFields as never })
    return reply.code(201).send(teacherSchema(saved as SchemaRecord))
  })

  app.patch('/schemas/:id', {
    schema: { summary: 'Change a schema (teachers)', tags: ['Teacher'], params: schemaIdParams, body: schemaPatchBody, response: { 200: fullSchemaSchema, ...errorResponses } }
  }, async request => {
    const { id } = request.params as { id: string }
    await findSchema(id, ['id'])
    const input = schemaInput(request.body as Record<string, unknown>)
    if (input.initialSql !== undefined) {
      await checkSql({ initialSql: input.initialSql })
      // Every reference answer on this schema must still run on the new tables.
      const using = await questions.find({ where: { schemaId: { eq: id } }, fields: ['id', 'answer'] })
      for (const question of using) {
        try {
          await checkSql({ initialSql: input.initialSql, query: question.answer as string })
        } catch (error) {
          throw new HttpError(400, `initial_sql: the answer of question ${question.id} no longer runs: ${(error as Error).message.replace(/^answer: /, '')}`)
        }
      }
    }
    const [saved] = await schemas.updateMany({ where: { id: { eq: id } }, input: input as never, fields: teacherSchemaFields as never })
    return teacherSchema(saved as SchemaRecord)
  })

  app.delete('/schemas/:id', {
    schema: { summary: 'Delete a schema no question uses (teachers)', tags: ['Teacher'], params: schemaIdParams, response: { 204: { type: 'null' }, ...errorResponses } }
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const used = await questions.count({ where: { schemaId: { eq: id } } })
    if (used > 0) throw new HttpError(409, `schema ${id} is used by ${used} question${used === 1 ? '' : 's'}; delete or move them first`)
    const deleted = await schemas.delete({ where: { id: { eq: id } }, fields: ['id'] })
    if (deleted.length === 0) throw new HttpError(404, `schema ${id} does not exist`)
    return reply.code(204).send()
  })
}
