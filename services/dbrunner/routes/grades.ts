import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, gradeBody, gradeReply } from '../lib/api-schemas.ts'
import { grade } from '../lib/grade.ts'
import { defaultGradingSettings } from '../lib/grading.ts'

const gradeRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.post('/grades', {
    schema: {
      summary: 'Grade a query against a reference answer',
      description: 'Columns compare by position and count, not by name. Row order matters only when the reference answer ends with ORDER BY; ' +
        'otherwise rows compare as multisets. A query that matches must also match on every hidden dataset; what differs there is not shown. ' +
        'A 422 names the stage that fails: the database SQL (`schema`), the reference answer (`answer`) or the query (`query`).',
      tags: ['Grading'],
      body: gradeBody,
      response: { 200: gradeReply, ...errorResponses }
    }
  }, async request => {
    const { settings, ...input } = request.body
    const { verdict, outputHash } = await grade(app.runs, { ...input, settings: { ...defaultGradingSettings, ...settings } })
    return { ...verdict, output_hash: outputHash }
  })
}

export default gradeRoutes
