import t from 'tap'
import { allScopes, findOperation, isPublicPage, publicOperations, publicPages } from '../../services/gateway/lib/scopes.ts'

const knownScopes = ['challenge', 'read:question', 'read:schema', 'read:solution', 'write:resource']

t.test('every operation has a known auth mode and known scopes', async t => {
  for (const operation of publicOperations) {
    const name = `${operation.method} ${operation.path}`
    t.ok(['GET', 'POST', 'PATCH', 'DELETE'].includes(operation.method), `${name}: method`)
    t.ok(['public', 'token'].includes(operation.auth), `${name}: auth mode`)
    t.match(operation.path, /^\/[a-z_/:]*$/, `${name}: Fastify path`)
    t.ok(operation.summary.length > 0, `${name}: summary`)
    for (const scope of operation.scopes) t.ok(knownScopes.includes(scope), `${name}: scope ${scope} is known`)
    if (operation.auth === 'public') t.same(operation.scopes, [], `${name}: public needs no scope`)
  }
  t.same(allScopes(), knownScopes, 'allScopes is the sorted distinct set')
})

t.test('the table holds exactly the agreed operations', async t => {
  const table = Object.fromEntries(publicOperations.map(o => [`${o.method} ${o.path}`, o.auth === 'public' ? 'public' : o.scopes.join('+') || 'token']))
  const teacher = 'write:resource'
  t.same(table, {
    'GET /healthz': 'public',
    'GET /questions': 'read:question',
    'GET /questions/:id': 'read:question',
    'GET /questions/:id/solution': 'read:question+read:solution',
    'POST /challenges': 'challenge',
    'GET /challenges/:id': 'challenge',
    'GET /challenges/:id/compare': 'challenge+read:question',
    'GET /schemas': 'read:schema',
    'GET /schemas/:id': 'read:schema',
    'GET /schemas/:id/structure': 'read:schema',
    'POST /schemas': teacher,
    'PATCH /schemas/:id': teacher,
    'DELETE /schemas/:id': teacher,
    'GET /schemas/:id/full': teacher,
    'POST /questions': teacher,
    'PATCH /questions/:id': teacher,
    'DELETE /questions/:id': teacher,
    'GET /questions/:id/full': teacher,
    'GET /me': 'token',
    'GET /me/submissions': 'token',
    'GET /questions/:id/statistics': 'read:question',
    'POST /questions/:id/datasets': teacher,
    'GET /questions/:id/datasets': teacher,
    'DELETE /questions/:id/datasets/:dataset_id': teacher
  })
  t.equal(publicOperations.length, Object.keys(table).length, 'no operation is listed twice')
})

t.test('findOperation matches templates whatever the parameters are called', async t => {
  t.equal(findOperation('GET', '/questions/:id')?.path, '/questions/:id')
  t.equal(findOperation('GET', '/questions/:questionId')?.path, '/questions/:id')
  t.equal(findOperation('get', '/questions/:questionId/solution')?.scopes.join(' '), 'read:question read:solution')
  t.equal(findOperation('DELETE', '/questions/:qid/datasets/:datasetId')?.path, '/questions/:id/datasets/:dataset_id')
  t.equal(findOperation('GET', '/questions/42')?.path, '/questions/:id', 'a concrete path matches too')
  t.equal(findOperation('GET', '/questions/42/full?x=1')?.scopes.join(' '), 'write:resource')
  t.equal(findOperation('PATCH', '/schemas/:schema_id')?.scopes.join(' '), 'write:resource')
  t.equal(findOperation('GET', '/me')?.auth, 'token')
  t.equal(findOperation('GET', '/healthz')?.auth, 'public')
})

t.test('findOperation finds nothing for internal or unknown routes', async t => {
  const internal: [string, string][] = [
    ['GET', '/crud/questions'],
    ['GET', '/crud/questions/:id'],
    ['GET', '/documentation/json'],
    ['GET', '/internal/questions/:id/answer'],
    ['POST', '/internal/run'],
    ['PUT', '/questions/:id'],
    ['DELETE', '/questions'],
    ['GET', '/questions/'],
    ['GET', '/questions//solution'],
    ['GET', '/questions/*'],
    ['GET', '/*'],
    // a parameter of the route must not stand for a fixed segment of ours
    ['GET', '/schemas/:id/:part'],
    ['GET', '/questions/:id/solution/extra']
  ]
  for (const [method, path] of internal) t.equal(findOperation(method, path), undefined, `${method} ${path}`)
})

t.test('public pages', async t => {
  t.ok(publicPages.includes('/openapi.json'))
  for (const path of ['/', '/index.html', '/favicon.ico', '/assets/app.js', '/assets/img/logo.svg', '/openapi.json', '/openapi/docs', '/openapi/docs/', '/openapi/docs/js/app.js']) {
    t.ok(isPublicPage('GET', path), `GET ${path} is a page`)
  }
  t.ok(isPublicPage('HEAD', '/assets/app.js'), 'HEAD counts as GET')
  for (const path of ['/assets', '/assets/../crud/questions', '/openapi', '/documentation/json', '/crud/questions', '/dev/jwks']) {
    t.notOk(isPublicPage('GET', path), `GET ${path} is not a page`)
  }
  t.notOk(isPublicPage('POST', '/openapi.json'), 'pages are GET only')
  t.notOk(isPublicPage('POST', '/dev/token'), 'dev routes are not pages outside dev mode')
  t.ok(isPublicPage('POST', '/dev/token', { devMode: true }))
  t.ok(isPublicPage('GET', '/dev/jwks', { devMode: true }))
  t.notOk(isPublicPage('GET', '/dev/token', { devMode: true }))
})
