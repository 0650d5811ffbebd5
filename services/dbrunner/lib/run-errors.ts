// Errors raised while running a student's SQL. Each carries a stable `code`
// (for API bodies) and an HTTP `status`, so routes can map them without
// knowing every subclass.

export class RunError extends Error {
  code: string
  status: number

  constructor (message: string, code = 'run_error', status = 500) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.status = status
  }

  // What the services' error handler answers with; its messages are for users.
  get statusCode (): number {
    return this.status
  }

  get expose (): boolean {
    return true
  }
}

/** The student's SQL failed; the message is the engine's own. */
export class QueryError extends RunError {
  constructor (message: string) {
    super(message, 'query_error', 422)
  }
}

/** The question's schema SQL failed: a problem with the question, not the answer. */
export class SchemaError extends RunError {
  constructor (message: string) {
    super(message, 'schema_error', 500)
  }

  // About the teachers' SQL, not the student's: logged, never sent as is.
  override get expose (): boolean {
    return false
  }
}

export function timeoutMessage (timeoutMs: number): string {
  const seconds = timeoutMs / 1000
  return `query timeout (takes more than ${seconds} second${seconds === 1 ? '' : 's'})`
}

export class TimeoutError extends RunError {
  timeoutMs: number

  constructor (timeoutMs = 1000, message = timeoutMessage(timeoutMs)) {
    super(message, 'timeout', 422)
    this.timeoutMs = timeoutMs
  }
}

/** A sandbox limit (query size, result size, memory, database size) was hit. */
export class LimitError extends RunError {
  constructor (message: string) {
    super(message, 'limit', 422)
  }
}

// 503 rather than 500: the failure is transient (the worker is replaced at
// once), so clients may retry.
export class RunnerCrashError extends RunError {
  constructor (message = 'the SQL runner stopped unexpectedly; please try again') {
    super(message, 'runner_crash', 503)
  }
}

/**
 * The engine itself failed while running SQL (a WebAssembly trap, a stack
 * overflow, SQLite reporting internal damage): not a verdict on the SQL,
 * never cached. The worker that saw it is replaced.
 */
export class EngineFaultError extends RunnerCrashError {
  constructor (message = 'the SQL engine failed while running this query and was restarted; please try again', cause?: unknown) {
    super(message)
    this.code = 'engine_fault'
    if (cause !== undefined) this.cause = cause
  }
}

export class BusyError extends RunError {
  constructor (message = 'the SQL runner is busy; please try again in a moment') {
    super(message, 'busy', 503)
  }
}

/** Plain form of a RunError, as sent between the worker and the pool. */
export interface SerialisedRunError {
  code: string
  message: string
  timeoutMs?: number
}

export function serialiseRunError (error: RunError): SerialisedRunError {
  const out: SerialisedRunError = { code: error.code, message: error.message }
  if (error instanceof TimeoutError) out.timeoutMs = error.timeoutMs
  return out
}

/** Rebuilds the right subclass from its serialised form; unknown codes become RunnerCrashError. */
export function deserialiseRunError (data: SerialisedRunError): RunError {
  switch (data.code) {
    case 'query_error': return new QueryError(data.message)
    case 'schema_error': return new SchemaError(data.message)
    case 'timeout': return new TimeoutError(data.timeoutMs ?? 1000, data.message)
    case 'limit': return new LimitError(data.message)
    case 'busy': return new BusyError(data.message)
    case 'engine_fault': return new EngineFaultError(data.message)
    default: return new RunnerCrashError(data.message)
  }
}

/**
 * The owner has used its share of runner time for the sliding minute: refused
 * at once (429), with when enough time has come back.
 */
export class BudgetError extends RunError {
  retryAfterSeconds: number

  constructor (retryAfterSeconds: number, budgetMs = 10_000) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
    super(`you have used your SQL runner time for this minute (${budgetMs / 1000} s); try again in ${seconds} s`, 'budget', 429)
    this.retryAfterSeconds = seconds
  }

  // Read by the services' error handler: the answer says when to retry.
  get headers (): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) }
  }
}
