// Why the runner could not do what it was asked: the database SQL, the
// reference answer or the query fails. Answered as 422 with the stage (and
// the hidden dataset) named, so the caller can tell whose SQL is at fault.
import { HttpError } from '../../../lib/http-error.ts'
import { RunError, SchemaError } from './run-errors.ts'

export type FailureStage = 'schema' | 'answer' | 'query'

export class RunFailure extends HttpError {
  stage: FailureStage

  constructor (stage: FailureStage, message: string, options: { code?: string, dataset?: number | null } = {}) {
    super(422, message, { details: { stage, code: options.code ?? (stage === 'schema' ? 'schema_error' : 'query_error'), dataset: options.dataset ?? null } })
    this.stage = stage
  }
}

/** A SchemaError or a query's 422 as a RunFailure; anything else unchanged. */
export function asRunFailure (error: unknown, stage: 'answer' | 'query', dataset: number | null = null): unknown {
  if (error instanceof SchemaError) return new RunFailure('schema', error.message, { dataset })
  if (error instanceof RunError && error.status === 422) return new RunFailure(stage, error.message, { code: error.code, dataset })
  return error
}
