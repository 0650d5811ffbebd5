import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { errorResponses, runBody, runReply } from '../lib/api-schemas.ts'
import { RunFailure, asRunFailure } from '../lib/run-failure.ts'
import type { RunRecord } from '../lib/result-cache.ts'
import { runCached, runOutput } from '../lib/runs.ts'
import type { QueryResult } from '../lib/sql-engine.ts'

const runRoutes: FastifyPluginAsyncJsonSchemaToTs = async app => {
  app.post('/runs', {
    schema: {
      summary: 'Run a query on a database built from SQL',
      description: 'Runs the query in a fresh sandboxed SQLite database built from `database`, unless an identical run ' +
        '(same database, same normalised query) is cached. Answers the run\'s input and output hashes, and the result when asked.',
      tags: ['Runs'],
      body: runBody,
      response: { 200: runReply, ...errorResponses }
    }
  }, async request => {
    const { database, query, owner, result } = request.body
    const input = { database, query, owner }
    let run: { inputHash: string, record: RunRecord, output?: QueryResult | null }
    try {
      run = await (result ? runOutput(app.runs, input) : runCached(app.runs, input))
    } catch (error) {
      throw asRunFailure(error, 'query')
    }
    const { record, output } = run
    if (!record.outputHash) throw new RunFailure('query', record.error?.message ?? 'the query does not run', { code: record.error?.code })
    return { input_hash: run.inputHash, output_hash: record.outputHash, ...(result && output ? { result: output } : {}) }
  })
}

export default runRoutes
