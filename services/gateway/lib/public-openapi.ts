// The public OpenAPI document: the gateway's own document (exactly the
// public operations: the composed ones carry their security requirements
// and error answers from the route policy) with this API's title and the
// security scheme those requirements name.
import { allScopes } from './scopes.ts'

type Json = Record<string, unknown>
interface OpenApi extends Json {
  paths?: Record<string, Record<string, Json>>
  components?: Json
}

export const securitySchemeName = 'logto-jwt-token'

export const securityScheme = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: `A Logto access token for this API. Scopes: ${allScopes().join(', ')}.`
}

export function publicDocument (document: OpenApi, info: { title: string, version: string, description: string }): OpenApi {
  const paths: Record<string, Record<string, Json>> = {}
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    paths[path] = {}
    for (const [method, operation] of Object.entries(item)) {
      // Operation ids are the composition's internal names.
      const { operationId: _internal, ...rest } = operation
      paths[path][method] = rest
    }
  }
  return {
    openapi: document.openapi ?? '3.0.3',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      ...(document.components?.schemas ? { schemas: document.components.schemas } : {}),
      securitySchemes: { [securitySchemeName]: securityScheme }
    }
  }
}
