// What the gateway composes of the questions service: exactly the public
// operations. Written as Platformatic Gateway's per-application OpenAPI
// config (questions-surface.json), where everything else is `ignore`d, by
// `npm run gateway:surface` from the service's document and the table.
import { openApiPath, type PublicOperation } from './scopes.ts'

type Ignore = { ignore: true }
export interface SurfaceConfig {
  paths: Record<string, Ignore | Record<string, Ignore>>
}

export function surfaceConfig (document: { paths?: Record<string, Record<string, unknown>> }, operations: PublicOperation[]): SurfaceConfig {
  const composed = operations.filter(operation => !operation.servedByGateway)
  const paths: SurfaceConfig['paths'] = {}
  for (const [path, item] of Object.entries(document.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const publicMethods = composed.filter(operation => openApiPath(operation.path) === path).map(operation => operation.method.toLowerCase())
    if (publicMethods.length === 0) {
      paths[path] = { ignore: true }
      continue
    }
    const hidden = Object.keys(item).filter(method => !publicMethods.includes(method)).sort()
    if (hidden.length > 0) paths[path] = Object.fromEntries(hidden.map(method => [method, { ignore: true } as Ignore]))
  }
  return { paths }
}
