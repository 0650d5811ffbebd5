import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, errorSchema } from '../lib/api-schemas.ts'
import { exportBank, importBank, type BankAnalyser } from '../lib/bank.ts'
import { bankReportSchema, bankSchema, completeBank } from '../lib/bank-schema.ts'
import { runOwner } from '../lib/current-user.ts'
import { selfTest } from '../lib/question-quality.ts'
import type { RunnerClient } from '../lib/runner-client.ts'
import { checkSql } from '../lib/sql-checks.ts'

// A bank is larger than any one record: up to this many bytes of JSON.
const BANK_BODY_LIMIT = 32 * 1024 * 1024

/** The runner checks a bank's SQL, as it checks a save's. */
function runnerAnalyser (runner: Pick<RunnerClient, 'check' | 'quality'>, owner: string | undefined): BankAnalyser {
  return {
    checkSchema: initialSql => checkSql(runner, { initialSql, owner }),
    selfTest: question => selfTest(runner, { ...question, owner })
  }
}

const conflictSchema = {
  type: 'object',
  description: 'Conflicts: nothing was written. The report says what the import would have done.',
  properties: { message: errorSchema.properties.message, ...bankReportSchema.properties },
  required: ['message', ...bankReportSchema.required]
} as const

// Question banks: the catalogue (schemas, questions, grading settings and
// hidden datasets) as one JSON document, out and in. Teachers only.
const bankRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.get('/bank', {
    schema: {
      summary: 'Export the catalogue as a question bank (teachers)',
      description: 'Every schema and question, with reference answers, grading settings and hidden datasets, in id order: a document POST /bank imports.',
      tags: ['Teacher'],
      response: { 200: bankSchema, ...errorResponses }
    }
  }, async () => exportBank(app.database))

  app.post('/bank', {
    bodyLimit: BANK_BODY_LIMIT,
    schema: {
      summary: 'Import a question bank (teachers)',
      description: 'Checked whole before anything is written: every schema\'s SQL must build and every question must pass the self-test a save runs ' +
        '(a bank with one broken item imports nothing: 400 naming it). Then applied in one transaction, keeping the bank\'s ids. ' +
        'Records stored with the same content are left unchanged, so importing a bank twice changes nothing the second time. ' +
        'Stored records with the same id and other content are conflicts: with mode=merge (default) nothing is written (409 with the report); ' +
        'with mode=replace they take the bank\'s content. A hidden dataset is matched by its position among its question\'s. ' +
        'dry_run=true checks and reports without writing. Records of the catalogue that the bank does not name are never touched. ' +
        'A bank larger than the gateway\'s body limit (256 KiB) is imported with `npm run bank:import` instead.',
      tags: ['Teacher'],
      querystring: {
        type: 'object',
        properties: {
          dry_run: { type: 'boolean', default: false, description: 'true: check and report, write nothing' },
          mode: { type: 'string', enum: ['merge', 'replace'], default: 'merge', description: 'merge: refuse conflicts; replace: overwrite them' }
        },
        additionalProperties: false
      },
      body: bankSchema,
      response: { 200: bankReportSchema, ...errorResponses, 409: conflictSchema }
    }
  }, async request => importBank(app.database, completeBank(request.body), {
    mode: request.query.mode,
    dryRun: request.query.dry_run,
    analyser: runnerAnalyser(app.runner, runOwner(request)),
    progress: line => request.log.debug({ bank: line }, 'bank import')
  }))
}

export default bankRoutes
