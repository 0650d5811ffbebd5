import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import {
  questionDetail, questionDetailFields, questionInput, questionSolution, studentQuestion, studentQuestionFields, solutionFields,
  teacherQuestion, teacherQuestionFields, type QuestionRecord
} from '../lib/api-shapes.ts'
import {
  difficulties, errorResponses, errorSchema, fullQuestionSchema, idParams, newQuestionBody, pageOf, paging, questionDetailSchema, questionPatchBody, questionSchema, savedQuestionSchema, solutionSchema
} from '../lib/api-schemas.ts'
import { equivalentMutantsOf, gradingOf } from '../lib/api-shapes.ts'
import { proposeDatasets, selfTest } from '../lib/question-quality.ts'
import { HttpError } from '../../../lib/http-error.ts'
import { payForSolution } from '../lib/progress.ts'
import { requireUser, runOwner } from '../lib/current-user.ts'
import { displayNameOf } from '../../../lib/identity-headers.ts'
import { questionCategories } from '../lib/categories.ts'

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
    config: { sharedRead: true },
    schema: {
      summary: 'List questions',
      description: 'Ordered by id; optionally only the questions of one type (see GET /categories) and/or one difficulty.',
      tags: ['Questions'],
      querystring: {
        ...paging,
        properties: {
          ...paging.properties,
          type: { type: 'string', minLength: 1, maxLength: 100, description: 'Only questions of this type, e.g. `joins`' },
          difficulty: { type: 'string', enum: difficulties, description: 'Only questions of this difficulty' }
        }
      },
      response: { 200: { type: 'array', items: questionSchema }, ...errorResponses }
    }
  }, async request => {
    const { type, difficulty } = request.query
    const found = await questions.find({
      fields: [...studentQuestionFields],
      where: { ...(type === undefined ? {} : { type: { eq: type } }), ...(difficulty === undefined ? {} : { difficulty: { eq: difficulty } }) },
      orderBy: [{ field: 'id', direction: 'asc' }],
      ...pageOf(request.query)
    })
    return found.map(studentQuestion)
  })

  app.get('/categories', {
    schema: {
      summary: 'The question types, with how many questions each has',
      description: 'Sorted by type. A type is what GET /questions?type= filters on.',
      tags: ['Questions'],
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: { type: { type: 'string', examples: ['joins'] }, count: { type: 'integer', examples: [3] } },
            required: ['type', 'count'],
            additionalProperties: false
          }
        },
        ...errorResponses
      }
    }
  }, async () => questionCategories(db, sql))

  app.get('/questions/:id', {
    config: { sharedRead: true },
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
    await payForSolution(db, sql, userId, id, app.pointRules, displayNameOf(request.headers))
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
      description: 'The reference answer is self-tested first (it must run, give at least one column, and give the same result whatever order the rows are stored in); ' +
        'a question created without hidden data gets the best generated dataset attached, so a copy of the visible result never passes. The answer includes the quality report.',
      body: newQuestionBody,
      response: { 201: savedQuestionSchema, ...errorResponses }
    }
  }, async (request, reply) => {
    const input = questionInput(request.body)
    const question = {
      database: await schemaSql(request.body.schema_id),
      datasets: [] as string[],
      answer: request.body.answer,
      settings: gradingOf(input),
      equivalent_mutants: equivalentMutantsOf(input),
      owner: runOwner(request)
    }
    let quality = await selfTest(app.runner, question)
    // Never without hidden data: the generated dataset that tells most apart.
    // (One, found quickly: a save should not keep a teacher waiting.)
    const [best] = await proposeDatasets(app.runner, question, { maxDatasets: 1, timeBudgetMs: 1500 })
    if (best) quality = await selfTest(app.runner, { ...question, datasets: [best.initial_sql] })
    const saved = await app.platformatic.db.tx(async tx => {
      const [created] = await questions.insert({ inputs: [input as never], fields: [...teacherQuestionFields], tx })
      if (best) await app.platformatic.entities.hiddenDataset.insert({ inputs: [{ questionId: created!.id!, initialSql: best.initial_sql }], fields: ['id'], tx })
      return created!
    })
    return reply.code(201).send({ ...teacherQuestion(saved), quality })
  })

  app.patch('/questions/:id', {
    schema: {
      summary: 'Change a question (teachers)',
      tags: ['Teacher'],
      params: idParams,
      description: 'A change of the answer, the schema or the grading settings is self-tested first, on the schema and every hidden dataset. The answer includes the quality report.',
      body: questionPatchBody,
      response: { 200: savedQuestionSchema, ...errorResponses }
    }
  }, async request => {
    const { id } = request.params
    const current = await findQuestion(id, teacherQuestionFields)
    const input = questionInput(request.body)
    const quality = await selfTest(app.runner, {
      database: await schemaSql(input.schemaId ?? current.schemaId!),
      datasets: await app.challenges.store.datasets(id),
      answer: input.answer ?? current.answer!,
      settings: gradingOf({ ...current, ...input }),
      equivalent_mutants: equivalentMutantsOf({ ...current, ...input }),
      owner: runOwner(request)
    })
    const [saved] = await questions.updateMany({ where: { id: { eq: id } }, input: input as never, fields: [...teacherQuestionFields] })
    if (!saved) throw new HttpError(404, `question ${id} does not exist`)
    return { ...teacherQuestion(saved), quality }
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
