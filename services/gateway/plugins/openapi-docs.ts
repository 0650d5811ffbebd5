import type { FastifyInstance } from 'fastify'
import scalar from '@scalar/fastify-api-reference'
import { publicDocument } from '../lib/public-openapi.ts'

const info = {
  title: 'Database Playground API',
  version: '1.0.0',
  description: 'Practise SQL on real schemas: browse questions, run queries in a sandbox, compare with the reference answer. ' +
    'Authenticate with a Logto access token (Bearer). Differences from the original gateway: a valid token without the needed scope gets 403 (RFC 6750), not 401.'
}

export default async function openApiDocs (app: FastifyInstance) {
  let document: unknown
  app.get('/openapi.json', { schema: { hide: true } as object }, async () => {
    // Built once, after the gateway has composed the services' documents.
    document ??= publicDocument((app as unknown as { swagger: () => Record<string, unknown> }).swagger(), info)
    return document
  })
  await app.register(scalar, {
    routePrefix: '/openapi/docs',
    logLevel: 'warn',
    configuration: { url: '/openapi.json', title: info.title }
  })
}
