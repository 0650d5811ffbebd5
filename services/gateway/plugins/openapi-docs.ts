// The public OpenAPI document, as JSON at /openapi.json and as YAML at
// /openapi/openapi.yaml (where the original gateway served it), and the
// interactive docs (Scalar) at /openapi/docs.
import type { FastifyInstance } from 'fastify'
import scalar from '@scalar/fastify-api-reference'
import { stringify } from 'yaml'
import { publicDocument } from '../lib/public-openapi.ts'

const info = {
  title: 'Database Playground API',
  version: '1.0.0',
  description: 'Practise SQL on real schemas: browse questions, run queries in a sandbox, compare with the reference answer. ' +
    'Authenticate with a Logto access token (Bearer). Differences from the original gateway: a valid token without the needed scope gets 403 (RFC 6750), not 401.'
}

export default async function openApiDocs (app: FastifyInstance) {
  let json: string | undefined
  let yaml: string | undefined
  // Built once, after the gateway has composed the services' documents.
  function documentJson (): string {
    json ??= JSON.stringify(publicDocument((app as unknown as { swagger: () => Record<string, unknown> }).swagger(), info))
    return json
  }

  app.get('/openapi.json', { schema: { hide: true } as object }, async (_request, reply) => {
    return reply.type('application/json; charset=utf-8').send(documentJson())
  })

  app.get('/openapi/openapi.yaml', { schema: { hide: true } as object }, async (_request, reply) => {
    // From the JSON text, so both say exactly the same (and no object is
    // shared, which YAML would write as an anchor and aliases).
    yaml ??= stringify(JSON.parse(documentJson()), { lineWidth: 0 })
    return reply.type('application/yaml; charset=utf-8').send(yaml)
  })

  await app.register(scalar, {
    routePrefix: '/openapi/docs',
    logLevel: 'warn',
    configuration: { url: '/openapi.json', title: info.title }
  })
}
