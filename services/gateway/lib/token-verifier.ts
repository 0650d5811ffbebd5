// Verification of Logto access tokens (RFC 9068 JWTs). The signature and the
// claims are checked by fastify-user → @fastify/jwt → fast-jwt; this file
// refuses what can never pass before any key is looked up, asks the key
// source (jwks-key-source.ts) for the key of the token's `kid`, and turns the
// library's errors into clear, token-free reasons.
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify'
import fastifyUserModule from 'fastify-user'
import type { FastifyUserPluginOptions, JWTOptions } from 'fastify-user'
import type { KeySource } from './jwks-key-source.ts'
import { TokenRejectedError } from './token-rejection.ts'
import { cleanDisplayName } from '../../../lib/identity-headers.ts'

export { TokenRejectedError, type TokenProblem } from './token-rejection.ts'
export {
  createJwksKeySource, defaultJwksCacheTtlMs, defaultJwksFetchTimeoutMs, defaultJwksRefetchIntervalMs, jwkToPem, keyFitsAlgorithm,
  type JwksKeySourceOptions, type KeySource
} from './jwks-key-source.ts'

// The package is CommonJS: at run time the default import is the
// fastify-plugin-wrapped function (its `.default` is the unwrapped one, which
// would hide the decorators), but its typings describe a namespace.
const fastifyUser = fastifyUserModule as unknown as FastifyPluginCallback<FastifyUserPluginOptions>

/** Asymmetric algorithms only: never `none`, never HS* (a public key must not become an HMAC secret). */
export const allowedAlgorithms: readonly string[] = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']

export const defaultClockToleranceSec = 30

/** What a verified access token says about its bearer. */
export interface VerifiedIdentity {
  id: string
  scopes: string[]
  /** a name to show others: the `name` claim, else `username`; absent when neither fits (never `email`) */
  name?: string
}

export function logtoIssuer (logtoDomain: string): string {
  return `${logtoDomain.replace(/\/+$/, '')}/oidc`
}

export interface TokenVerifierOptions {
  /** exact `iss` of accepted tokens */
  issuer: string
  /** the API resource indicator; `aud` must be it or contain it */
  audience: string
  keySource: KeySource
  clockToleranceSec?: number
}

export type VerifyRequest = (request: FastifyRequest) => Promise<VerifiedIdentity>

const bearerPattern = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const maxTokenLength = 8192
// RFC 6749 scope-token characters; the user id also goes into a header
const scopeTokenPattern = /^[\x21\x23-\x5b\x5d-\x7e]+$/
const subjectPattern = /^[\x21-\x7e]{1,255}$/

function libraryProblem (error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error
  const code = String((error as { code?: unknown }).code ?? '')
  const message = error instanceof Error ? error.message : ''
  switch (code) {
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
    case 'FAST_JWT_EXPIRED':
      return new TokenRejectedError('expired', 'the access token has expired')
    case 'FAST_JWT_INACTIVE':
      return new TokenRejectedError('invalid', 'the access token is not valid yet (nbf)')
    case 'FAST_JWT_INVALID_ALGORITHM':
      return new TokenRejectedError('invalid', 'the token algorithm is not accepted')
    case 'FAST_JWT_INVALID_TYPE':
      return new TokenRejectedError('invalid', 'not an access token (typ must be at+jwt)')
    case 'FAST_JWT_MISSING_SIGNATURE':
    case 'FAST_JWT_MISSING_KEY':
      return new TokenRejectedError('invalid', 'the access token is not signed')
    case 'FST_JWT_BAD_REQUEST':
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
      return new TokenRejectedError('malformed', 'expected the header Authorization: Bearer <access token>')
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID': {
      // fast-jwt's reasons are fixed sentences ("The aud claim value is not allowed.")
      const reason = message.replace(/^Authorization token is invalid: /, '')
      if (/malformed|invalid type|JSON/i.test(reason)) return new TokenRejectedError('malformed', 'the access token is not a well-formed JWT')
      const sentence = reason.replace(/\.$/, '')
      return new TokenRejectedError('invalid', `the access token is invalid: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`)
    }
    default:
      return new TokenRejectedError('invalid', 'the access token is invalid')
  }
}

/**
 * Registers fastify-user (JWT mode) on `app` and returns the function that
 * verifies the Bearer token of a request. `app` must be the context of the
 * routes (register from a fastify-plugin-wrapped plugin).
 */
export async function registerTokenVerifier (app: FastifyInstance, options: TokenVerifierOptions): Promise<VerifyRequest> {
  const clockToleranceSec = options.clockToleranceSec ?? defaultClockToleranceSec
  const { issuer, audience, keySource } = options

  // Called by @fastify/jwt with the decoded (not yet trusted) token. Refuse
  // what can never pass before any key is looked up or fetched.
  async function secret (_request: FastifyRequest, decoded: unknown): Promise<string> {
    const token = decoded as { header?: Record<string, unknown>, payload?: Record<string, unknown> }
    const alg = token.header?.alg
    const kid = token.header?.kid
    if (typeof alg !== 'string' || !allowedAlgorithms.includes(alg)) {
      throw new TokenRejectedError('invalid', `the token algorithm is not accepted (accepted: ${allowedAlgorithms.join(', ')})`)
    }
    if (token.payload?.iss !== issuer) throw new TokenRejectedError('invalid', 'the access token was not issued by the expected issuer')
    if (typeof kid !== 'string' || kid === '' || kid.length > 256) throw new TokenRejectedError('invalid', 'the access token names no signing key (kid)')
    // RFC 7515 §4.1.11: extensions named critical must be understood, and
    // this gateway understands none.
    if (token.header?.crit !== undefined) {
      throw new TokenRejectedError('invalid', 'the token names critical header parameters (crit) that the gateway does not understand')
    }
    return keySource.keyFor({ alg, kid })
  }

  await app.register(fastifyUser, {
    jwt: {
      secret,
      // the secret callback needs the header (alg, kid), not just the payload
      decode: { complete: true },
      verify: {
        algorithms: [...allowedAlgorithms] as NonNullable<NonNullable<JWTOptions['verify']>['algorithms']>,
        allowedIss: issuer,
        allowedAud: audience,
        // fast-jwt skips the checks of absent claims unless they are required
        requiredClaims: ['iss', 'aud', 'sub', 'exp'],
        // RFC 9068: an ID token or other JWT must not pass as an access token
        checkTyp: 'at+jwt',
        clockTolerance: clockToleranceSec * 1000,
        // A token already verified is not verified again for a minute (the
        // signature check dominates the gateway's CPU); exp still applies.
        cache: 10_000,
        cacheTTL: 60_000
      }
    }
  })

  return async function verify (request) {
    const header = request.headers.authorization
    if (header === undefined || header.trim() === '') {
      throw new TokenRejectedError('missing', 'an access token is required: send Authorization: Bearer <access token>')
    }
    if (!/^Bearer(\s|$)/i.test(header)) {
      throw new TokenRejectedError('missing', 'the Authorization header must use the Bearer scheme')
    }
    const match = bearerPattern.exec(header)
    if (!match || (match[1] as string).length > maxTokenLength) {
      throw new TokenRejectedError('malformed', 'expected the header Authorization: Bearer <access token>')
    }
    if ((match[1] as string).split('.').length !== 3) {
      throw new TokenRejectedError('malformed', 'the access token is not a well-formed JWT')
    }

    let claims: Record<string, unknown>
    try {
      claims = await request.createJWTSession() as Record<string, unknown>
    } catch (error) {
      throw libraryProblem(error)
    }

    const sub = claims.sub
    if (typeof sub !== 'string' || !subjectPattern.test(sub)) {
      throw new TokenRejectedError('invalid', 'the access token has no usable subject (sub)')
    }
    const scope = claims.scope ?? ''
    if (typeof scope !== 'string') throw new TokenRejectedError('invalid', 'the scope claim of the access token must be a string')
    const scopes = [...new Set(scope.split(' ').filter(part => part !== ''))]
    if (!scopes.every(part => scopeTokenPattern.test(part))) {
      throw new TokenRejectedError('invalid', 'the scope claim of the access token is not valid')
    }
    const name = cleanDisplayName(claims.name) ?? cleanDisplayName(claims.username)
    return name === null ? { id: sub, scopes } : { id: sub, scopes, name }
  }
}
