// The public API surface and the scopes each operation needs. This table is
// the single source of truth: the auth hook enforces it and the OpenAPI
// document's security requirements are built from it. Anything not listed
// here (or in publicPages) is answered with 404 by the gateway.

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

function op (method: HttpMethod, path: string, scopes: ScopeName[], summary: string, auth: 'public' | 'token' = 'token'): PublicOperation {
  return { method, path, scopes, auth, summary }
}

export const publicOperations: PublicOperation[] = [
  op('GET', '/healthz', [], 'Liveness check', 'public'),

  op('GET', '/questions', ['read:question'], 'List questions'),
  op('GET', '/questions/:id', ['read:question'], 'Get a question'),
  op('GET', '/questions/:id/solution', ['read:question', 'read:solution'], 'Get the reference solution of a question'),
  op('GET', '/questions/:id/statistics', ['read:question'], 'Get the answer statistics of a question'),

  op('POST', '/challenges', ['challenge'], 'Submit an answer to a question'),
  op('GET', '/challenges/:id', ['challenge'], 'Get the result of a submitted answer'),
  op('GET', '/challenges/:id/compare', ['challenge', 'read:question'], 'Compare a submitted answer with the expected result'),

  op('GET', '/schemas', ['read:schema'], 'List database schemas'),
  op('GET', '/schemas/:id', ['read:schema'], 'Get a database schema'),
  op('GET', '/schemas/:id/structure', ['read:schema'], 'Get the tables and columns of a database schema'),

  op('POST', '/schemas', ['write:resource'], 'Create a database schema'),
  op('PATCH', '/schemas/:id', ['write:resource'], 'Change a database schema'),
  op('DELETE', '/schemas/:id', ['write:resource'], 'Delete a database schema'),
  op('GET', '/schemas/:id/full', ['write:resource'], 'Get a database schema with its full definition'),
  op('POST', '/questions', ['write:resource'], 'Create a question'),
  op('PATCH', '/questions/:id', ['write:resource'], 'Change a question'),
  op('DELETE', '/questions/:id', ['write:resource'], 'Delete a question'),
  op('GET', '/questions/:id/full', ['write:resource'], 'Get a question with its solution and hidden details'),

  op('POST', '/questions/:id/datasets', ['write:resource'], 'Add a test dataset to a question'),
  op('GET', '/questions/:id/datasets', ['write:resource'], 'List the test datasets of a question'),
  op('DELETE', '/questions/:id/datasets/:dataset_id', ['write:resource'], 'Delete a test dataset of a question'),

  op('GET', '/me', [], 'Get the signed-in user'),
  op('GET', '/me/submissions', [], "List the signed-in user's submissions")
]

/**
 * Non-API paths anyone may GET. An entry ending in '/*' covers the folder with
 * its trailing slash and everything below it ('/openapi/docs/', '/assets/x.js').
 */
export const publicPages: string[] = [
  '/',
  '/index.html',
  '/favicon.ico',
  '/assets/*',
  '/openapi.json',
  '/openapi/openapi.yaml',
  '/openapi/docs',
  '/openapi/docs/*'
]

/** Routes of the local development issuer; they exist only in dev mode. */
export const devRoutes: ReadonlyArray<{ method: HttpMethod, path: string }> = [
  { method: 'GET', path: '/dev/jwks' },
  { method: 'POST', path: '/dev/token' }
]

// Matches a concrete path or a route template against one of our templates.
// A ':param' of ours matches any non-empty segment (a value, or the gateway's
// own parameter, which may be named differently, e.g. ':questionId'). A
// parameter on the candidate side matches only a parameter of ours: a route
// '/schemas/:id/:part' must not be taken for '/schemas/:id/structure'.
function matchesTemplate (template: string, candidate: string): boolean {
  const ours = template.split('/')
  const theirs = candidate.split('/')
  if (ours.length !== theirs.length) return false
  for (let i = 0; i < ours.length; i++) {
    const mine = ours[i] as string
    const other = theirs[i] as string
    if (mine.startsWith(':')) {
      if (other === '' || other === ':') return false
    } else if (mine !== other) {
      return false
    }
  }
  return true
}

/**
 * The public operation served by `method` + `routeUrl` (Fastify's
 * request.routeOptions.url, or a concrete request path), if there is one.
 * Static segments win over parameters, e.g. '/questions/:id/full' is never
 * mistaken for another operation.
 */
export function findOperation (method: string, routeUrl: string): PublicOperation | undefined {
  const wanted = method.toUpperCase()
  const path = routeUrl.split('?')[0] as string
  if (path.includes('*')) return undefined
  let best: PublicOperation | undefined
  let bestStatic = -1
  for (const operation of publicOperations) {
    if (operation.method !== wanted || !matchesTemplate(operation.path, path)) continue
    const staticSegments = operation.path.split('/').filter(s => s !== '' && !s.startsWith(':')).length
    if (staticSegments > bestStatic) {
      best = operation
      bestStatic = staticSegments
    }
  }
  return best
}

/** Whether a GET of this concrete path is a public page (not an API operation). */
export function isPublicPage (method: string, path: string, options: { devMode?: boolean } = {}): boolean {
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()
  const clean = path.split('?')[0] as string
  if (options.devMode && devRoutes.some(route => route.method === wanted && route.path === clean)) return true
  if (wanted !== 'GET') return false
  if (clean.split('/').some(segment => segment === '..' || segment === '.')) return false
  return publicPages.some(page => page.endsWith('/*')
    ? clean.startsWith(page.slice(0, -1))
    : clean === page)
}

/** Distinct scope names used by the table, sorted. */
export function allScopes (): string[] {
  return [...new Set(publicOperations.flatMap(operation => operation.scopes))].sort()
}
