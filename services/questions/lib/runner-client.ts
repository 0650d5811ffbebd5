// Asks the SQL runner to build a schema (and optionally run a query on it)
// before a teacher's change is saved, so broken SQL never reaches students.
import { loadConfig } from '../../../lib/config.ts'
import { serviceFetch } from '../../../lib/service-fetch.ts'
import { HttpError } from '../../../lib/http-error.ts'

async function callRunner (path: string, body: object): Promise<{ status: number, body: { message?: string, stage?: string, tables?: TableShape[] } }> {
  let response: Response
  try {
    response = await serviceFetch(`${loadConfig().DB_RUNNER_SERVICE_URL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000)
    })
  } catch {
    throw new HttpError(503, 'the SQL runner is not reachable; nothing was saved, try again')
  }
  return { status: response.status, body: await response.json().catch(() => ({})) as { message?: string, stage?: string, tables?: TableShape[] } }
}

export async function checkSql (input: { initialSql: string, query?: string }): Promise<void> {
  const { status, body } = await callRunner('/internal/check', { initial_sql: input.initialSql, query: input.query })
  if (status >= 200 && status < 300) return
  if (status === 422 || status === 400) {
    const what = body.stage === 'query' ? 'answer' : 'initial_sql'
    throw new HttpError(400, `${what}: ${body.message ?? 'the SQL does not run'}`)
  }
  throw new HttpError(503, `the SQL runner could not check the SQL (${status}); nothing was saved`)
}

export interface TableShape {
  name: string
  columns: { name: string, type: string }[]
}

// The tables and columns the SQL creates, as the runner builds them.
export async function structureOf (initialSql: string): Promise<TableShape[]> {
  const { status, body } = await callRunner('/internal/structure', { initial_sql: initialSql })
  if (status === 422) throw new HttpError(400, `initial_sql: ${body.message ?? 'the SQL does not run'}`)
  if (status !== 200 || !body.tables) throw new HttpError(503, `the SQL runner could not read the structure (${status}); nothing was saved`)
  return body.tables
}
