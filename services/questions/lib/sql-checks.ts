// Teachers' SQL is checked by the runner before it is saved, so broken SQL
// never reaches students. A refusal becomes a 400 naming the field.
import { HttpError } from '../../../lib/http-error.ts'
import { RunnerRefusal, type RunnerClient, type Tables } from './runner-client.ts'

function asFieldError (error: unknown, queryField: string): unknown {
  if (!(error instanceof RunnerRefusal)) return error
  const field = error.failure.stage === 'schema' ? 'initial_sql' : queryField
  return new HttpError(400, `${field}: ${error.message}`)
}

/** The database SQL builds and, when given, the query runs on it. */
export async function checkSql (runner: Pick<RunnerClient, 'check'>, input: { initialSql: string, query?: string, owner?: string }, queryField = 'answer'): Promise<void> {
  await runner.check({ database: input.initialSql, query: input.query, owner: input.owner }).catch(error => { throw asFieldError(error, queryField) })
}

/** The tables and columns the SQL creates, as the runner builds them. */
export async function structureOf (runner: Pick<RunnerClient, 'structure'>, initialSql: string, owner?: string): Promise<Tables> {
  return runner.structure(initialSql, owner).catch(error => { throw asFieldError(error, 'initial_sql') })
}
