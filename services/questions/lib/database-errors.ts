import { HttpError } from '../../../lib/http-error.ts'

// PostgreSQL's constraint errors are the client's fault: they become a 4xx
// with a clear message instead of a 500.
interface PgError {
  code?: string
  constraint?: string
  column?: string
  message: string
}

const byCode: Record<string, { status: number, message: string }> = {
  23001: { status: 409, message: 'the record is still used by other records' },
  23503: { status: 409, message: 'the record refers to a missing record, or is still used by other records' },
  23505: { status: 409, message: 'a record with the same key already exists' },
  23514: { status: 400, message: 'a value is not allowed' },
  23502: { status: 400, message: 'a required value is missing' },
  '22P02': { status: 400, message: 'a value has the wrong type' },
  22001: { status: 400, message: 'a value is too long' },
  22003: { status: 400, message: 'a number is out of range' }
}

// The database away (refused, reset, restarting, too many connections) is
// nobody's fault and passes: 503, try again.
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300'])

function isUnavailable (error: PgError): boolean {
  const code = error.code ?? ''
  return unavailableCodes.has(code) || code.startsWith('08') ||
    /Connection terminated|connection (is )?(closed|ended)|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(error.message ?? '')
}

export function translateDatabaseError (error: unknown): unknown {
  const pgError = error as PgError
  if (!pgError || typeof pgError !== 'object' || error instanceof HttpError) return error
  if (isUnavailable(pgError)) return new HttpError(503, 'the database is unavailable; please try again shortly', { cause: error })
  const known = pgError.code ? byCode[pgError.code] : undefined
  if (!known) return error
  const where = pgError.column ?? pgError.constraint
  return new HttpError(known.status, where ? `${known.message} (${where})` : known.message, { cause: error })
}
