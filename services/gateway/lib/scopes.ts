// The public API surface and the scopes each operation needs. This table is
// the single source of truth: the gateway composes exactly these operations
// of the questions service (questions-surface.json ignores the rest), and
// attaches to each route its token check, its scopes, its rate limit and its
// OpenAPI security requirement. Nothing else is routed, so anything else is
// a 404 by construction.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface PublicOperation {
  method: HttpMethod
  /** Fastify path syntax, e.g. '/questions/:id' */
  path: string
  /** every one of these is required */
  scopes: string[]
  /** 'token': any valid access token; the scope list may then be empty */
  auth: 'public' | 'token'
  summary: string
  /** a stricter per-user limit than every operation's, for work that costs */
  limit?: 'runs' | 'compares'
  /** served by the gateway itself rather than composed from the questions service */
  servedByGateway?: true
}

export const scopeNames = ['read:question', 'read:solution', 'challenge', 'read:schema', 'write:resource'] as const
export type ScopeName = (typeof scopeNames)[number]

const scopeDescriptions: Record<ScopeName, string> = {
  'read:question': 'Read questions and their statistics',
  'read:solution': 'Read the reference solution of a question',
  challenge: 'Submit answers to questions and read the results',
  'read:schema': 'Read database schemas and their structure',
  'write:resource': 'Create, change and delete schemas, questions and datasets (teachers)'
}

export function describeScope (scope: string): string {
  return (scopeDescriptions as Record<string, string>)[scope] ?? scope
}

function op (method: HttpMethod, path: string, scopes: ScopeName[], summary: string, more: Partial<PublicOperation> = {}): PublicOperation {
  return { method, path, scopes, auth: 'token', summary, ...more }
}

export const publicOperations: PublicOperation[] = [
  op('GET', '/healthz', [], 'Liveness check', { auth: 'public', servedByGateway: true }),
  op('GET', '/readyz', [], 'Readiness check: 503 while this instance drains or what is behind it is unreachable', { auth: 'public', servedByGateway: true }),

  op('GET', '/questions', ['read:question'], 'List questions'),
  op('GET', '/questions/:id', ['read:question'], 'Get a question'),
  op('GET', '/questions/:id/solution', ['read:question', 'read:solution'], 'Get the reference solution of a question'),
  op('GET', '/questions/:id/statistics', ['read:question'], 'Get the answer statistics of a question'),
  op('GET', '/categories', ['read:question'], 'List the question types and how many questions each has'),
  op('GET', '/leaderboard', ['read:question'], 'Get the leaderboard of a period'),

  op('POST', '/challenges', ['challenge'], 'Submit an answer to a question', { limit: 'runs' }),
  op('GET', '/challenges/:id', ['challenge'], 'Get the result of a submitted answer'),
  op('GET', '/challenges/:id/compare', ['challenge', 'read:question'], 'Compare a submitted answer with the expected result', { limit: 'compares' }),

  op('GET', '/schemas', ['read:schema'], 'List database schemas'),
  op('GET', '/schemas/:id', ['read:schema'], 'Get a database schema'),
  op('GET', '/schemas/:id/structure', ['read:schema'], 'Get the tables and columns of a database schema'),

  op('POST', '/schemas', ['write:resource'], 'Create a database schema'),
  op('PATCH', '/schemas/:id', ['write:resource'], 'Change a database schema'),
  op('DELETE', '/schemas/:id', ['write:resource'], 'Delete a database schema'),
  op('GET', '/schemas/:id/full', ['write:resource'], 'Get a database schema with its full definition'),
  op('POST', '/schemas/:id/preview', ['write:resource'], 'Run a query on a database schema and see its result (teachers)', { limit: 'runs' }),
  op('POST', '/questions', ['write:resource'], 'Create a question'),
  op('PATCH', '/questions/:id', ['write:resource'], 'Change a question'),
  op('DELETE', '/questions/:id', ['write:resource'], 'Delete a question'),
  op('GET', '/questions/:id/full', ['write:resource'], 'Get a question with its solution and hidden details'),

  op('POST', '/questions/:id/datasets', ['write:resource'], 'Add a test dataset to a question'),
  op('GET', '/questions/:id/datasets', ['write:resource'], 'List the test datasets of a question'),
  op('DELETE', '/questions/:id/datasets/:dataset_id', ['write:resource'], 'Delete a test dataset of a question'),
  op('GET', '/questions/:id/mistakes', ['write:resource'], 'Get the mistake clusters of a question'),
  op('GET', '/questions/:id/quality', ['write:resource'], 'Get the quality report of a question'),
  op('POST', '/questions/:id/datasets/generate', ['write:resource'], 'Propose hidden datasets for a question'),
  op('GET', '/bank', ['write:resource'], 'Export the catalogue as a question bank'),
  op('POST', '/bank', ['write:resource'], 'Import a question bank'),

  op('GET', '/me', [], 'Get the signed-in user'),
  op('GET', '/me/submissions', [], "List the signed-in user's submissions"),
  op('GET', '/me/points', [], "List the signed-in user's points ledger")
]

/** The OpenAPI form of a Fastify path: '/questions/:id' -> '/questions/{id}'. */
export function openApiPath (fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

/** Distinct scope names used by the table, sorted. */
export function allScopes (): string[] {
  return [...new Set(publicOperations.flatMap(operation => operation.scopes))].sort()
}
