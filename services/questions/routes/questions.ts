import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import {
  questionDetail, questionDetailFields, questionInput, questionSolution, studentQuestion, studentQuestionFields, solutionFields,
  teacherQuestion, teacherQuestionFields, type QuestionRecord
} from '../lib/api-shapes.ts'
import {
  errorResponses, errorSchema, fullQuestionSchema, idParams, newQuestionBody, pageOf, paging, questionDetailSchema, questionPatchBody, questionSchema, solutionSchema
} from '../lib/api-schemas.ts'
import { checkSql } from '../lib/sql-checks.ts'
import { HttpError } from '../../../lib/http-error.ts'
import { payForSolution } from '../lib/progress.ts'
import { requireUser, runOwner } from '../lib/current-user.ts'

const questionRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  const { question: questions, schema: schemas } = app.platformatic.entities
  const { db, sql } = app.database

  async function findQuestion (id: string, fields: readonly string[]): Promise<QuestionRecord> {
    const [found] = await questions.find({ where: { id: { eq: id } }, fields: [...fields] as (keyof QuestionRecord)[] })
    if (!found) throw new HttpError(404, `question ${id} does not exist`)
    return found
  }

  async function schemaSql (schemaId: string): Promise<string> {
    const [found] = await schemas.find({ where: { id: { eq: schemaId } }, fields: ['initialSql'] })
    if (!found) throw new HttpError(400, `schema_id: schema ${schemaId} does not exist`)
    return String(found.initialSql)
  }

  app.get('/questions', {
    schema: {
      summary: 'List questions',
      tags: ['Questions'],
      querystring: paging,
      response: { 200: { type: 'array', items: questionSchema }, ...errorResponses }
    }
  }, async request => {
    const found = await questions.find({
      fields: [...studentQuestionFields],
      orderBy: [{ field: 'id', direction: 'asc' }],
      ...pageOf(request.query)
    })
    return found.map(studentQuestion)
  })

  app.get('/questions/:id', {
    schema: {
      summary: 'Get a question',
      tags: ['Questions'],
      params: idParams,
      response: { 200: questionDetailSchema, ...errorResponses }
    }
  }, async request => questionDetail(await findQuestion(request.params.id, questionDetailFields)))

  app.get('/questions/:id/solution', {
    schema: {
      summary: 'Get the solution video of a question',
      description: 'The first time a user opens a solution it costs points (20 by default); later opens are free. With too few points: 402, nothing debited.',
      tags: ['Questions'],
      params: idParams,
      response: { 200: solutionSchema, 402: errorSchema, ...errorResponses }
    }
  }, async request => {
    const { id } = request.params
    const userId = requireUser(request)
    const question = await findQuestion(id, solutionFields)
    // The first look costs points; a 402 leaves the balance untouched.
    await payForSolution(db, sql, userId, id, app.pointRules)
    return questionSolution(question)
  })

  app.get('/questions/:id/full', {
    schema: {
      summary: 'Get a question with its reference answer (teachers)',
      tags: ['Teacher'],
      params: idParams,
      response: { 200: fullQuestionSchema, ...errorResponses }
    }
  }, async request => teacherQuestion(await findQuestion(request.params.id, teacherQuestionFields)))

  app.post('/questions', {
    schema: {
      summary: 'Create a question (teachers)',
      tags: ['Teacher'],
      body: newQuestionBody,
      response: { 201: fullQuestionSchema, ...errorResponses }
    }
  }, async (request, reply) => {
    const input = questionInput(request.body)
    await checkSql(app.runner, { initialSql: await schemaSql(request.body.schema_id), query: request.body.answer, owner: runOwner(request) })
    const [saved] = await questions.insert({ inputs: [input as never], fields: [...teacherQuestionFields] })
    return reply.code(201).send(teacherQuestion(saved!))
  })

  app.patch('/questions/:id', {
    schema: {
      summary: 'Change a question (teachers)',
      tags: ['Teacher'],
      params: idParams,
      body: questionPatchBody,
      response: { 200: fullQuestionSchema, ...errorResponses }
    }
  }, async request => {
    const { id } = request.params
    const current = await findQuestion(id, teacherQuestionFields)
    const input = questionInput(request.body)
    if (input.answer !== undefined || input.schemaId !== undefined) {
      await checkSql(app.runner, { initialSql: await schemaSql(input.schemaId ?? current.schemaId!), query: input.answer ?? current.answer, owner: runOwner(request) })
    }
    const [saved] = await questions.updateMany({ where: { id: { eq: id } }, input: input as never, fields: [...teacherQuestionFields] })
    if (!saved) throw new HttpError(404, `question ${id} does not exist`)
    return teacherQuestion(saved)
  })

  app.delete('/questions/:id', {
    schema: {
      summary: 'Delete a question (teachers)',
      tags: ['Teacher'],
      params: idParams,
      response: { 204: { type: 'null' }, ...errorResponses }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const deleted = await questions.delete({ where: { id: { eq: id } }, fields: ['id'] })
    if (deleted.length === 0) throw new HttpError(404, `question ${id} does not exist`)
    return reply.code(204).send(null)
  })
}

export default questionRoutes
