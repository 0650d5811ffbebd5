// Authentication and authorization: the token check and scope test that the
// route policy (route-policy.ts) attaches to each public operation. Verified
// identity is handed to the internal services in x-playground-* headers,
// which clients can never set.
import fp from 'fastify-plugin'
import { encodeDisplayName, identityHeaderPrefix, nameHeader, userHeader } from '../../../lib/identity-headers.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { ConfigError, type Config } from '../../../lib/config.ts'
import type { PublicOperation } from '../lib/scopes.ts'
import {
  createJwksKeySource,
  defaultClockToleranceSec,
  logtoIssuer,
  registerTokenVerifier,
  TokenRejectedError,
  type KeySource,
  type VerifiedIdentity
} from '../lib/token-verifier.ts'
import { createDevIssuer, defaultDevAudience, registerDevRoutes } from '../lib/dev-issuer.ts'
import { claimDevIssuer } from '../lib/dev-issuer-claim.ts'

export interface AuthPluginOptions {
  /** default: LOGTO_DOMAIN; empty means dev auth (refused in production) */
  logtoDomain?: string
  /** default: GATEWAY_RESOURCE_INDICATOR */
  resourceIndicator?: string
  /** default: NODE_ENV */
  nodeEnv?: Config['NODE_ENV']
  clockToleranceSec?: number
  jwksRefetchIntervalMs?: number
  jwksCacheTtlMs?: number
  jwksFetchTimeoutMs?: number
}

export type PlaygroundUser = VerifiedIdentity

declare module 'fastify' {
  interface FastifyRequest {
    /** set by the auth hook for operations that need a token */
    playgroundUser: PlaygroundUser | null
  }
  interface FastifyInstance {
    /** the onRequest hook that checks the token and scopes of an operation */
    authorize: (operation: PublicOperation) => onRequestAsyncHookHandler
  }
}

export { identityHeaderPrefix, nameHeader, userHeader }
const realm = 'playground'

interface ResolvedSettings {
  nodeEnv: Config['NODE_ENV']
  logtoDomain: string
  resourceIndicator: string
}

function resolveSettings (options: AuthPluginOptions, config: Config): ResolvedSettings {
  const nodeEnv = options.nodeEnv ?? config.NODE_ENV
  const logtoDomain = (options.logtoDomain ?? config.LOGTO_DOMAIN).trim().replace(/\/+$/, '')
  const resourceIndicator = (options.resourceIndicator ?? config.GATEWAY_RESOURCE_INDICATOR).trim()

  if (nodeEnv === 'production') {
    if (logtoDomain === '') {
      throw new ConfigError('LOGTO_DOMAIN', 'must be set when NODE_ENV=production (e.g. https://tenant.logto.app); the built-in dev sign-in is never available in production')
    }
    if (resourceIndicator === '') {
      throw new ConfigError('GATEWAY_RESOURCE_INDICATOR', 'must be set when NODE_ENV=production: the Logto API resource indicator that access tokens name in aud')
    }
  }
  if (logtoDomain !== '' && resourceIndicator === '') {
    throw new ConfigError('GATEWAY_RESOURCE_INDICATOR', 'must be set when LOGTO_DOMAIN is set: the Logto API resource indicator that access tokens name in aud')
  }
  return { nodeEnv, logtoDomain, resourceIndicator }
}

// Quoted-string content for WWW-Authenticate (RFC 6750 §3 allows no '"' or '\').
function quoted (text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, ' ')
}

// '/questions/../crud' or encoded dots and slashes are never part of a
// public operation; refuse them before anything (the proxy, the URL parser
// of the service behind it) could resolve them differently.
function suspiciousPath (url: string): boolean {
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  return /%2e|%2f|%5c|\\/i.test(path) || path.split('/').some(segment => segment === '.' || segment === '..')
}

// request.headers is request.raw.headers, the object @fastify/reply-from
// copies into the proxied request, so both are edited in place.
function setHeader (request: FastifyRequest, name: string, value: string): void {
  request.raw.headers[name] = value
}

function stripIdentityHeaders (request: FastifyRequest): void {
  const headers = request.raw.headers
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase().startsWith(identityHeaderPrefix)) delete headers[name]
  }
}

async function auth (app: FastifyInstance, options: AuthPluginOptions) {
  const settings = resolveSettings(options, app.settings)
  const devMode = settings.nodeEnv !== 'production' && settings.logtoDomain === ''

  let issuer: string
  let audience: string
  let keySource: KeySource
  if (devMode) {
    audience = settings.resourceIndicator || defaultDevAudience
    const devIssuer = createDevIssuer({ audience })
    if (app.settings.REDIS_URL && app.settings.DATABASE_URL) {
      const release = await claimDevIssuer(app.settings.REDIS_URL, app.settings.REDIS_KEY_PREFIX, app.settings.DATABASE_URL, devIssuer.kid)
      app.addHook('onClose', release)
    }
    issuer = devIssuer.issuer
    keySource = devIssuer.keySource
    registerDevRoutes(app, devIssuer)
    app.log.warn(
      { issuer, audience },
      'DEV AUTH IS ON: LOGTO_DOMAIN is not set, so the gateway issues its own access tokens (POST /dev/token) to anyone who asks. ' +
      'Never use this setup in production; set LOGTO_DOMAIN and GATEWAY_RESOURCE_INDICATOR to verify Logto tokens.'
    )
  } else {
    issuer = logtoIssuer(settings.logtoDomain)
    audience = settings.resourceIndicator
    keySource = createJwksKeySource({
      issuer,
      refetchIntervalMs: options.jwksRefetchIntervalMs,
      cacheTtlMs: options.jwksCacheTtlMs,
      fetchTimeoutMs: options.jwksFetchTimeoutMs,
      onFetchFailure: reason => app.log.warn(reason)
    })
    app.log.info({ issuer, audience }, 'access tokens are verified against Logto')
  }

  const verify = await registerTokenVerifier(app, {
    issuer,
    audience,
    keySource,
    clockToleranceSec: options.clockToleranceSec ?? defaultClockToleranceSec
  })

  app.decorateRequest('playgroundUser', null)

  // Every request, whatever its route: identity headers only ever come from
  // the hook below, and odd paths get no further.
  app.addHook('onRequest', async (request, reply) => {
    stripIdentityHeaders(request)
    if (suspiciousPath(request.raw.url ?? request.url)) return reply.code(404).send({ message: 'not found' })
  })

  async function refuse (reply: FastifyReply, error: TokenRejectedError) {
    // error="invalid_token" for a missing token too: clients key on it.
    const challenge = `Bearer realm="${realm}", error="invalid_token", error_description="${quoted(error.message)}"`
    return reply.code(401).header('www-authenticate', challenge).send({ message: error.message })
  }

  app.decorate('authorize', (operation: PublicOperation): onRequestAsyncHookHandler => async (request, reply) => {
    let identity: VerifiedIdentity
    try {
      identity = await verify(request)
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error
      request.log.debug({ problem: error.problem, reason: error.message }, 'access token refused')
      return refuse(reply, error)
    }

    const missing = operation.scopes.filter(scope => !identity.scopes.includes(scope))
    if (missing.length > 0) {
      request.log.debug({ user: identity.id, missing }, 'access token lacks scopes')
      return reply.code(403)
        .header('www-authenticate', `Bearer realm="${realm}", error="insufficient_scope", scope="${operation.scopes.join(' ')}"`)
        .send({ message: `missing scope: ${missing.join(' ')}` })
    }

    setHeader(request, userHeader, identity.id)
    if (identity.name !== undefined) setHeader(request, nameHeader, encodeDisplayName(identity.name))
    request.playgroundUser = identity
    // Request logs carry the user from here on.
    request.log = reply.log = request.log.child({ userId: identity.id })
  })
}

export default fp(auth, { name: 'playground-auth', fastify: '5.x', dependencies: ['settings'] })
