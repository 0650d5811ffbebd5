// The public REST API of the gateway, same origin, with the signed-in user's
// bearer token. Every failure becomes an ApiError whose `kind` the views use
// to say what happened and what to do.

export interface Question {
  id: string
  schema_id: string
  type: string
  difficulty: '' | 'easy' | 'medium' | 'hard'
  title: string
  description: string
}

export interface Schema {
  id: string
  description: string
  picture?: string | null
}

export interface Column {
  name: string
  type: string
  primary_key: boolean
  not_null: boolean
}

export interface ForeignKey {
  /** columns of this table */
  from: string[]
  table: string
  /** columns of `table`, pair by pair with `from` */
  to: string[]
}

export interface Structure {
  id: string
  tables: { name: string, columns: Column[], foreign_keys?: ForeignKey[] }[]
}

export type Cell = string | null

export interface QueryResult {
  header: string[]
  rows: Cell[][]
}

export interface Counterexample {
  /** SQL that builds a small dataset made from the visible rows only */
  initial_sql: string
  expected_rows: Cell[][]
  /** null when the query fails there (actual_error says why) */
  actual_rows: Cell[][] | null
  actual_error?: string
  expected_row: Cell[] | null
  actual_row: Cell[] | null
}

export interface Verdict {
  same: boolean
  reason?: 'columns differ' | 'row count differs' | 'order differs' | 'values differ' | 'fails on a hidden dataset'
  /** what the reason means, in a sentence */
  hint?: string
  expected_row?: Cell[] | null
  actual_row?: Cell[] | null
  counterexample?: Counterexample
}

export interface Category { type: string, count: number }

export interface Me { id: string, points: number, solved: number, attempted: number }

export interface Submission {
  id: string
  question_id: string
  query: string
  same: boolean
  reason: string | null
  created_at: string
}

export interface PointChange {
  amount: number
  reason: 'welcome' | 'solved' | 'solution'
  question_id: string | null
  created_at: string
}

export type Period = 'day' | 'week' | 'all'
export type Ranking = 'points' | 'solved'

export interface LeaderboardEntry { rank: number, user: string, points: number, solved: number }

export interface QuestionFilter { type?: string, difficulty?: string }

export interface Solution {
  id: string
  solution_video: string | null
}

export type ErrorKind =
  | 'network' // no answer at all
  | 'unauthorized' // 401: sign in again
  | 'forbidden' // 403: a scope is missing
  | 'rate-limited' // 429: wait Retry-After seconds
  | 'sql' // 422 from the runner: the engine's message
  | 'timeout' // 422 with the runner's timeout message
  | 'not-found'
  | 'bad-request'
  | 'server'

export class ApiError extends Error {
  kind: ErrorKind
  status: number
  /** seconds, for 429 */
  retryAfter?: number
  /** for 403: the scopes the token lacks */
  missingScopes?: string[]

  constructor (kind: ErrorKind, status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.kind = kind
    this.status = status
  }
}

let tokenSource: () => string | null | Promise<string | null> = () => null
let unauthorizedHandler: (error: ApiError) => void = () => {}

export function configureApi (options: { token: () => string | null | Promise<string | null>, onUnauthorized: (error: ApiError) => void }): void {
  tokenSource = options.token
  unauthorizedHandler = options.onUnauthorized
}

// Retry-After is either seconds or an HTTP date.
function retryAfterSeconds (header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim())
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000))
}

async function messageOf (response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { message?: unknown }
    if (typeof body.message === 'string' && body.message !== '') return body.message
  } catch {
    // not JSON: fall back to the text
  }
  return text.trim().slice(0, 300) || response.statusText || `HTTP ${response.status}`
}

export const timeoutPrefix = 'query timeout'

async function toError (response: Response): Promise<ApiError> {
  const message = await messageOf(response)
  const status = response.status
  let error: ApiError
  if (status === 401) {
    error = new ApiError('unauthorized', status, message)
  } else if (status === 403) {
    error = new ApiError('forbidden', status, message)
    const match = /missing scope:\s*(.+)$/.exec(message)
    error.missingScopes = match ? (match[1] as string).split(/\s+/).filter(Boolean) : []
  } else if (status === 429) {
    error = new ApiError('rate-limited', status, message)
    error.retryAfter = retryAfterSeconds(response.headers.get('retry-after'))
  } else if (status === 422) {
    error = new ApiError(message.startsWith(timeoutPrefix) ? 'timeout' : 'sql', status, message)
  } else if (status === 404) {
    error = new ApiError('not-found', status, message)
  } else if (status >= 400 && status < 500) {
    error = new ApiError('bad-request', status, message)
  } else {
    error = new ApiError('server', status, message)
  }
  return error
}

export async function request<T> (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, options: { auth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const token = options.auth === false ? null : await tokenSource()
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
  } catch {
    throw new ApiError('network', 0, 'Cannot reach the server: the request failed before any answer came back. Check that the backend is running and your connection works, then try again.')
  }
  if (!response.ok) {
    const error = await toError(response)
    if (error.kind === 'unauthorized' && options.auth !== false) unauthorizedHandler(error)
    throw error
  }
  // 204 (a delete) has no body.
  return (response.status === 204 ? undefined : await response.json()) as T
}

export const id = (value: string) => encodeURIComponent(value)

function questionQuery (limit: number, offset: number, filter: QuestionFilter): string {
  const params = new URLSearchParams({ limit: String(limit), offset: String(offset) })
  if (filter.type) params.set('type', filter.type)
  if (filter.difficulty) params.set('difficulty', filter.difficulty)
  return params.toString()
}

export const api = {
  questions: (limit: number, offset: number, filter: QuestionFilter = {}) => request<Question[]>('GET', `/questions?${questionQuery(limit, offset, filter)}`),
  categories: () => request<Category[]>('GET', '/categories'),
  question: (questionId: string) => request<Question>('GET', `/questions/${id(questionId)}`),
  solution: (questionId: string) => request<Solution>('GET', `/questions/${id(questionId)}/solution`),
  schema: (schemaId: string) => request<Schema>('GET', `/schemas/${id(schemaId)}`),
  structure: (schemaId: string) => request<Structure>('GET', `/schemas/${id(schemaId)}/structure`),
  createChallenge: (questionID: string, query: string) => request<{ challengeID: string }>('POST', '/challenges', { questionID, query }),
  challenge: (challengeId: string) => request<QueryResult>('GET', `/challenges/${id(challengeId)}`),
  compare: (challengeId: string) => request<Verdict>('GET', `/challenges/${id(challengeId)}/compare`),
  me: () => request<Me>('GET', '/me'),
  mySubmissions: (limit: number, offset: number) => request<Submission[]>('GET', `/me/submissions?limit=${limit}&offset=${offset}`),
  myPoints: (limit: number, offset: number) => request<PointChange[]>('GET', `/me/points?limit=${limit}&offset=${offset}`),
  leaderboard: (period: Period, by: Ranking, limit: number, offset: number) =>
    request<LeaderboardEntry[]>('GET', `/leaderboard?period=${period}&by=${by}&limit=${limit}&offset=${offset}`)
}

/** A sentence for the person in front of the page. */
export function describeError (error: unknown): string {
  if (!(error instanceof ApiError)) return `Something went wrong in the page: ${error instanceof Error ? error.message : String(error)}`
  switch (error.kind) {
    case 'network': return error.message
    case 'unauthorized': return `Your sign-in is no longer valid (${error.message}). Please sign in again.`
    case 'forbidden': {
      const scopes = error.missingScopes ?? []
      return scopes.length > 0
        ? `Not allowed: your account lacks the scope ${scopes.map(scope => `“${scope}”`).join(', ')} needed for this (${error.message}).`
        : `Not allowed: ${error.message}`
    }
    case 'rate-limited': return error.retryAfter !== undefined
      ? `Too many requests. Try again in ${error.retryAfter} second${error.retryAfter === 1 ? '' : 's'}.`
      : `Too many requests (${error.message}). Wait a moment and try again.`
    case 'timeout': return `The query took too long and was stopped: ${error.message}.`
    case 'sql': return error.message
    case 'not-found': return `Not found: ${error.message}`
    case 'bad-request': return `The server refused the request (${error.status}): ${error.message}`
    case 'server': return `The server failed (${error.status}): ${error.message}. Try again later.`
  }
}
