// Asks the SQL runner to build a schema (and optionally run a query on it)
// before a teacher's change is saved, so broken SQL never reaches students.
import { loadConfig } from '../../../lib/config.ts'
import { serviceFetch } from '../../../lib/service-fetch.ts'

export class SqlCheckError extends Error {
  statusCode: number

  constructor (statusCode: number, message: string) {
    super(message)
    this.name = 'SqlCheckError'
    this.statusCode = statusCode
  }
}

export async function checkSql (input: { initialSql: string, query?: string }): Promise<void> {
  const base = loadConfig().DB_RUNNER_SERVICE_URL
  let response: Response
  try {
    response = await serviceFetch(`${base}/internal/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ initial_sql: input.initialSql, query: input.query }),
      signal: AbortSignal.timeout(10_000)
    })
  } catch {
    throw new SqlCheckError(503, 'the SQL runner is not reachable; nothing was saved, try again')
  }
  if (response.ok) return
  const body = await response.json().catch(() => ({})) as { message?: string, stage?: string }
  if (response.status === 422 || response.status === 400) {
    const what = body.stage === 'query' ? 'answer' : 'initial_sql'
    throw new SqlCheckError(400, `${what}: ${body.message ?? 'the SQL does not run'}`)
  }
  throw new SqlCheckError(503, `the SQL runner could not check the SQL (${response.status}); nothing was saved`)
}

export interface TableShape {
  name: string
  columns: { name: string, type: string }[]
}

// The tables and columns the SQL creates, as the runner builds them.
export async function structureOf (initialSql: string): Promise<TableShape[]> {
  const base = loadConfig().DB_RUNNER_SERVICE_URL
  let response: Response
  try {
    response = await serviceFetch(`${base}/internal/structure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ initial_sql: initialSql }),
      signal: AbortSignal.timeout(10_000)
    })
  } catch {
    throw new SqlCheckError(503, 'the SQL runner is not reachable; nothing was saved, try again')
  }
  const body = await response.json().catch(() => ({})) as { message?: string, tables?: TableShape[] }
  if (response.status === 422) throw new SqlCheckError(400, `initial_sql: ${body.message ?? 'the SQL does not run'}`)
  if (!response.ok || !body.tables) throw new SqlCheckError(503, `the SQL runner could not read the structure (${response.status}); nothing was saved`)
  return body.tables
}
