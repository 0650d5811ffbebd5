// The public OpenAPI document: the composed document of the services cut
// down to the operations of the scope table, each with its security
// requirement taken from that same table.
import { errorSchema } from '../../../lib/error-schema.ts'
import { publicOperations, type PublicOperation } from './scopes.ts'

type Json = Record<string, unknown>
interface OpenApi extends Json {
  paths?: Record<string, Record<string, Json>>
  components?: Json
}

export const securitySchemeName = 'logto-jwt-token'

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorSchema } }
})

export function openApiPath (fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

// The composed document may name path parameters differently; compare shapes.
function sameShape (a: string, b: string): boolean {
  const norm = (path: string) => path.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '')
  return norm(a) === norm(b)
}

function findComposed (composed: OpenApi, operation: PublicOperation): { path: string, op: Json } | undefined {
  const wanted = openApiPath(operation.path)
  for (const [path, item] of Object.entries(composed.paths ?? {})) {
    if (!sameShape(path, wanted)) continue
    const op = item[operation.method.toLowerCase()]
    if (op) return { path, op }
  }
  return undefined
}

export function publicDocument (composed: OpenApi, info: { title: string, version: string, description: string }): OpenApi {
  const paths: Record<string, Record<string, Json>> = {}
  for (const operation of publicOperations) {
    const found = findComposed(composed, operation)
    const op: Json = structuredClone(found?.op ?? { responses: { 200: { description: 'OK' } } })
    delete op.operationId
    op.summary = operation.summary
    const responses = { ...(op.responses as Json) }
    if (operation.auth !== 'public') {
      op.security = [{ [securitySchemeName]: operation.scopes }]
      responses[401] = errorResponse('The access token is missing, malformed, expired or not issued for this API')
      if (operation.scopes.length > 0) responses[403] = errorResponse(`The access token lacks a scope: ${operation.scopes.join(', ')}`)
    } else {
      op.security = []
    }
    op.responses = responses
    const path = openApiPath(operation.path)
    paths[path] ??= {}
    paths[path][operation.method.toLowerCase()] = op
  }
  const scopes = [...new Set(publicOperations.flatMap(operation => operation.scopes))].sort()
  return {
    openapi: composed.openapi ?? '3.0.3',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      ...(composed.components?.schemas ? { schemas: composed.components.schemas } : {}),
      securitySchemes: {
        [securitySchemeName]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `A Logto access token for this API. Scopes: ${scopes.join(', ')}.`
        }
      }
    }
  }
}
