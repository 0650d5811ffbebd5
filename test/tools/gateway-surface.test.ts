// The gateway composes exactly the public operations: questions-surface.json
// ignores everything else of the questions service, and is up to date with
// its routes and migrations (`npm run gateway:surface` rewrites it).
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repositoryRoot } from '../../launcher/system.ts'
import { questionsDocument } from '../../scripts/questions-document.ts'
import { publicOperations, openApiPath } from '../../services/gateway/lib/scopes.ts'
import { surfaceConfig } from '../../services/gateway/lib/surface.ts'
import { createTestDatabase } from '../helpers/database.ts'

t.test('questions-surface.json is what the service and the table make', async t => {
  const document = await questionsDocument(await createTestDatabase(t))
  const committed = JSON.parse(await readFile(join(repositoryRoot, 'services/gateway/questions-surface.json'), 'utf8'))
  t.same(committed, surfaceConfig(document, publicOperations), 'up to date: run npm run gateway:surface after adding a route or a migration')

  // What is left once ignored is exactly the composed part of the table.
  const left = Object.entries(document.paths ?? {}).flatMap(([path, item]) => {
    const ignored = committed.paths[path]
    if (ignored?.ignore) return []
    return Object.keys(item).filter(method => !ignored?.[method]?.ignore).map(method => `${method.toUpperCase()} ${path}`)
  }).sort()
  const composed = publicOperations.filter(operation => !operation.servedByGateway).map(operation => `${operation.method} ${openApiPath(operation.path)}`).sort()
  t.same(left, composed)
  t.notOk(left.some(operation => operation.includes('/crud')), 'no generated CRUD route')
})
