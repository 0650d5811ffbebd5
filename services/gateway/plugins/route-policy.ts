// Policy declared on the routes: every composed route of the public
// operation table gets, from that one table, its token check and scopes,
// its per-user rate limits and its OpenAPI security requirement. The
// gateway composes nothing else (questions-surface.json ignores the rest of
// the questions service), so there is no request-time URL matching.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import { requireSharedStore } from '../../../lib/settings-plugin.ts'
import type { FastifyInstance, FastifyRequest, RouteOptions, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify'
import { errorSchema } from '../../../lib/error-schema.ts'
import { HttpError } from '../../../lib/http-error.ts'
import { count } from '../../../lib/metrics.ts'
import { openApiPath, publicOperations, type PublicOperation } from '../lib/scopes.ts'

import { securityScheme, securitySchemeName } from '../lib/public-openapi.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** route options (hooks, schema additions) that put an operation's policy on a route */
    applyPolicy: (operation: PublicOperation, route: Pick<RouteOptions, 'onRequest' | 'preHandler' | 'schema' | 'config'>) => void
  }
}

interface GatewayHooks {
  addGatewayOnRouteHook: (openApiPath: string, methods: string[], hook: (route: RouteOptions) => void) => void
}

const asArray = <T>(value: T | T[] | undefined): T[] => value === undefined ? [] : Array.isArray(value) ? value : [value]

const errorResponse = (description: string) => ({ description, ...errorSchema })

// @fastify/swagger's per-route transform: adds the security scheme to the
// document being built before the route's requirement refers to it.
function declareSecurityScheme ({ schema, url, openapiObject }: { schema: unknown, url: string, openapiObject: { components?: { securitySchemes?: Record<string, unknown> } } }) {
  openapiObject.components ??= {}
  openapiObject.components.securitySchemes = { ...openapiObject.components.securitySchemes, [securitySchemeName]: securityScheme }
  return { schema, url }
}

// Platformatic Gateway 3.54 registers @fastify/reply-from with no way to set
// its retry options, and reply-from repeats a GET that got 503 up to ten
// times unless the request declares a length. The services answer 503 only
// after their own bounded wait, so a GET is forwarded with an explicit empty
// length and a 503 reaches the client at once.
const forwardWithoutRetries: onRequestAsyncHookHandler = async request => {
  if (request.headers['content-length'] === undefined) request.headers['content-length'] = '0'
}

async function routePolicy (app: FastifyInstance) {
  const settings = app.settings
  requireSharedStore(settings, 'rate limits')
  const perMinute = 60_000
  // In Redis, the limits hold across instances (N instances do not multiply
  // them); while Redis is away requests pass rather than fail.
  const redis = settings.REDIS_URL
    ? new Redis(settings.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: 2000 })
    : undefined
  redis?.on('error', error => app.log.debug({ err: { message: error.message } }, 'rate-limit store unavailable'))
  app.addHook('onClose', async () => redis?.disconnect())
  await app.register(rateLimit, { global: false, hook: 'preHandler', redis, nameSpace: `${settings.REDIS_KEY_PREFIX}limit:`, skipOnError: true })

  // One limiter per kind of limit, shared by every route it covers (GET and
  // HEAD of an operation included): a per-user count, whatever the method.
  function limiter (name: string, max: number, what: string): preHandlerAsyncHookHandler {
    return app.rateLimit({
      max,
      timeWindow: perMinute,
      keyGenerator: (request: FastifyRequest) => `${name}:${request.playgroundUser?.id ?? request.ip}`,
      onExceeded: () => count('rateLimited', { limit: name }),
      errorResponseBuilder: (_request, context) => new HttpError(429, `too many ${what}: at most ${max} a minute; try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`)
    }) as preHandlerAsyncHookHandler
  }
  const everyCall = limiter('api', settings.API_RATE_LIMIT, 'requests')
  const stricter = {
    runs: limiter('runs', settings.CHALLENGE_RATE_LIMIT, 'queries'),
    compares: limiter('compares', settings.COMPARE_RATE_LIMIT, 'compares')
  }

  app.decorate('applyPolicy', (operation: PublicOperation, route: Pick<RouteOptions, 'onRequest' | 'preHandler' | 'schema' | 'config'>) => {
    const schema = { ...route.schema } as Record<string, unknown>
    const responses = { ...(schema.response as Record<string, unknown> | undefined) }
    schema.summary = operation.summary
    if (operation.auth === 'public') {
      schema.security = []
    } else {
      route.onRequest = [...asArray(route.onRequest), app.authorize(operation)]
      // One limiter per request (@fastify/rate-limit runs one per request):
      // runs and compares count against their own, stricter limit.
      route.preHandler = [...asArray(route.preHandler), operation.limit ? stricter[operation.limit] : everyCall]
      schema.security = [{ [securitySchemeName]: operation.scopes }]
      // The document names the scheme wherever a route requires it.
      route.config = Object.assign(route.config ?? {}, { swaggerTransform: declareSecurityScheme })
      responses[401] = errorResponse('The access token is missing, malformed, expired or not issued for this API')
      if (operation.scopes.length > 0) responses[403] = errorResponse(`The access token lacks a scope: ${operation.scopes.join(', ')}`)
      responses[429] = errorResponse('Too many requests from this user; see Retry-After')
    }
    schema.response = responses
    route.schema = schema
  })

  const hooks = app.platformatic as unknown as GatewayHooks
  const composed = publicOperations.filter(operation => !operation.servedByGateway)
  const seen = new Set<string>()
  for (const operation of composed) {
    // HEAD of a GET is the same operation: the same checks, the same counts.
    const methods = operation.method === 'GET' ? ['GET', 'HEAD'] : [operation.method]
    hooks.addGatewayOnRouteHook(openApiPath(operation.path), methods, route => {
      if (operation.method === 'GET') route.onRequest = [forwardWithoutRetries, ...asArray(route.onRequest)]
      app.applyPolicy(operation, route)
      seen.add(`${operation.method} ${operation.path}`)
    })
  }

  // A composed route that the table does not know would be public without a
  // policy; an operation of the table that was not composed is a broken
  // surface. Both stop startup.
  app.addHook('onRoute', route => {
    const path = (route.config as { openApiPath?: string } | undefined)?.openApiPath
    if (path === undefined) return
    const known = composed.some(operation => openApiPath(operation.path) === path && [operation.method, 'HEAD'].includes(String(route.method)))
    if (!known) throw new Error(`${String(route.method)} ${path} is composed but not in the public operation table (services/gateway/lib/scopes.ts); ignore it in services/gateway/questions-surface.json (npm run gateway:surface)`)
  })
  app.addHook('onReady', async () => {
    const missing = composed.filter(operation => !seen.has(`${operation.method} ${operation.path}`))
    if (missing.length > 0) throw new Error(`public operations not served by the questions service: ${missing.map(operation => `${operation.method} ${operation.path}`).join(', ')}`)
  })
}

export default fp(routePolicy, { name: 'route-policy', dependencies: ['settings', 'playground-auth'] })
