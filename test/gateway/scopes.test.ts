import t from 'tap'
import { allScopes, openApiPath, publicOperations } from '../../services/gateway/lib/scopes.ts'

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
    'GET /readyz': 'public',
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
    'POST /schemas/:id/preview': teacher,
    'POST /questions': teacher,
    'PATCH /questions/:id': teacher,
    'DELETE /questions/:id': teacher,
    'GET /questions/:id/full': teacher,
    'GET /me': 'token',
    'GET /me/submissions': 'token',
    'GET /questions/:id/statistics': 'read:question',
    'POST /questions/:id/datasets': teacher,
    'GET /questions/:id/datasets': teacher,
    'DELETE /questions/:id/datasets/:dataset_id': teacher,
    'GET /questions/:id/mistakes': teacher,
    'GET /questions/:id/quality': teacher,
    'POST /questions/:id/datasets/generate': teacher,
    'GET /categories': 'read:question',
    'GET /leaderboard': 'read:question',
    'GET /me/points': 'token',
    'GET /bank': teacher,
    'POST /bank': teacher
  })
  t.equal(publicOperations.length, Object.keys(table).length, 'no operation is listed twice')
})

t.test('operations are named as the questions service names its paths', async t => {
  t.equal(openApiPath('/questions/:id/datasets/:dataset_id'), '/questions/{id}/datasets/{dataset_id}')
  t.equal(openApiPath('/challenges'), '/challenges')
  t.same(publicOperations.filter(operation => operation.servedByGateway).map(operation => operation.path), ['/healthz', '/readyz'], 'only health and readiness are the gateway\'s own')
  t.same(publicOperations.filter(operation => operation.limit).map(operation => `${operation.method} ${operation.path} ${operation.limit}`),
    ['POST /challenges runs', 'GET /challenges/:id/compare compares', 'POST /schemas/:id/preview runs'], 'runs (students\' and teachers\' previews) and compares have their own limits')
})
