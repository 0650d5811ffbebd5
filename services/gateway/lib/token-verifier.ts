// Verification of Logto access tokens (RFC 9068 JWTs). The signature and the
// claims are checked by fastify-user → @fastify/jwt → fast-jwt; this file only
// supplies the public key for a token's `kid` (through get-jwks, with a
// bounded refetch for unknown key ids around it) and turns the library's
// errors into clear, token-free reasons.
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify'
import fastifyUserModule from 'fastify-user'
import type { FastifyUserPluginOptions, JWTOptions } from 'fastify-user'
import buildGetJwks from 'get-jwks'

// The package is CommonJS: at run time the default import is the
// fastify-plugin-wrapped function (its `.default` is the unwrapped one, which
// would hide the decorators), but its typings describe a namespace.
const fastifyUser = fastifyUserModule as unknown as FastifyPluginCallback<FastifyUserPluginOptions>

/** Asymmetric algorithms only: never `none`, never HS* (a public key must not become an HMAC secret). */
export const allowedAlgorithms: readonly string[] = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']

export const defaultClockToleranceSec = 30
export const defaultJwksRefetchIntervalMs = 30_000
export const defaultJwksCacheTtlMs = 10 * 60_000
export const defaultJwksFetchTimeoutMs = 5_000

/** What a verified access token says about its bearer. */
export interface VerifiedIdentity {
  id: string
  scopes: string[]
}

/**
 * 'missing': no Bearer credentials at all; 'malformed': not `Bearer <jwt>`;
 * 'invalid' / 'expired': a token was given and cannot be accepted.
 */
export type TokenProblem = 'missing' | 'malformed' | 'invalid' | 'expired'

export class TokenRejectedError extends Error {
  problem: TokenProblem

  constructor (problem: TokenProblem, message: string) {
    super(message)
    this.name = 'TokenRejectedError'
    this.problem = problem
  }
}

/** Supplies the PEM public key for a token header; rejects with TokenRejectedError. */
export interface KeySource {
  keyFor (header: { alg: string, kid: string }): Promise<string>
}

export function logtoIssuer (logtoDomain: string): string {
  return `${logtoDomain.replace(/\/+$/, '')}/oidc`
}

const curveAlgorithms: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }

// A key may only verify the algorithm family it was made for: a token that
// names RS256 must not be checked with an EC key and so on.
export function keyFitsAlgorithm (jwk: Record<string, unknown>, alg: string): boolean {
  if (typeof jwk.alg === 'string' && jwk.alg !== alg) return false
  if (jwk.use !== undefined && jwk.use !== 'sig') return false
  switch (jwk.kty) {
    case 'EC': return curveAlgorithms[String(jwk.crv)] === alg
    case 'RSA': return /^(RS|PS)(256|384|512)$/.test(alg)
    case 'OKP': return alg === 'EdDSA' && (jwk.crv === 'Ed25519' || jwk.crv === 'Ed448')
    default: return false
  }
}

export function jwkToPem (jwk: Record<string, unknown>): string {
  // node:crypto also reads OKP (Ed25519) keys, which jwk-to-pem cannot.
  const { kty, crv, x, y, n, e } = jwk
  return createPublicKey({ key: { kty, crv, x, y, n, e } as JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' }) as string
}

export interface JwksKeySourceOptions {
  /** token issuer, e.g. https://tenant.logto.app/oidc; the key set is at `${issuer}/jwks` */
  issuer: string
  /** after a failed lookup of an unknown kid, no other unknown kid causes a fetch for this long */
  refetchIntervalMs?: number
  /** how long a fetched key is used before it is fetched again */
  cacheTtlMs?: number
  fetchTimeoutMs?: number
  /** told when the key set cannot be fetched (never given a token) */
  onFetchFailure?: (reason: string) => void
  now?: () => number
}

function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Logto's key set through get-jwks (fetching, caching per kid, stale fallback),
 * with what get-jwks lacks: a kid never seen before triggers at most one key
 * set fetch per `refetchIntervalMs` once such a lookup has failed, so tokens
 * with made-up kids cannot make the gateway hammer Logto. Keys that were found
 * before are refreshed when their cache entry expires without that limit, so
 * made-up kids cannot lock out real keys either.
 */
export function createJwksKeySource (options: JwksKeySourceOptions): KeySource {
  const refetchIntervalMs = options.refetchIntervalMs ?? defaultJwksRefetchIntervalMs
  const fetchTimeoutMs = options.fetchTimeoutMs ?? defaultJwksFetchTimeoutMs
  const now = options.now ?? Date.now
  const issuer = options.issuer.replace(/\/+$/, '')
  const domain = `${issuer}/`
  const getJwks = buildGetJwks({
    // get-jwks builds `${domain}${jwksPath}` from the (already checked) issuer: Logto serves /oidc/jwks
    jwksPath: 'jwks',
    issuersWhitelist: [issuer],
    ttl: options.cacheTtlMs ?? defaultJwksCacheTtlMs,
    max: 50
  })

  const found = new Set<string>()
  let unknownBlockedUntil = 0
  let refreshBlockedUntil = 0
  let unknownInFlight: Promise<unknown> | undefined

  function explain (error: unknown): TokenRejectedError {
    const code = (error as { code?: unknown }).code
    if (code === 'JWK_NOT_FOUND') return new TokenRejectedError('invalid', 'the signing key (kid) of the token is not known to the issuer')
    const reason = code === 'JWKS_REQUEST_FAILED' || code === 'NO_JWKS'
      ? String((error as Error).message)
      : error instanceof Error ? error.message : String(error)
    options.onFetchFailure?.(`cannot fetch the signing keys from ${domain}jwks: ${reason}`)
    return new TokenRejectedError('invalid', 'the signing keys of the issuer cannot be fetched right now')
  }

  // Keys are looked up by kid alone (get-jwks matches any alg when none is
  // given) and the algorithm is checked here, so tokens that vary `alg` for
  // a real kid cost no fetch.
  const anyAlg = undefined as unknown as string

  function fetchJwk (kid: string): Promise<Record<string, unknown>> {
    return withTimeout(getJwks.getJwk({ domain, alg: anyAlg, kid }), fetchTimeoutMs)
  }

  // get-jwks hands back the same JWK object while it is cached, so its PEM is
  // built once rather than on every request.
  const pems = new WeakMap<Record<string, unknown>, string>()

  function pemFor (jwk: Record<string, unknown>, alg: string): string {
    if (!keyFitsAlgorithm(jwk, alg)) throw new TokenRejectedError('invalid', 'the signing key (kid) is not for the algorithm of the token')
    let pem = pems.get(jwk)
    if (pem === undefined) {
      try {
        pem = jwkToPem(jwk)
      } catch {
        throw new TokenRejectedError('invalid', 'the signing key (kid) published by the issuer is not usable')
      }
      pems.set(jwk, pem)
    }
    return pem
  }

  return {
    async keyFor ({ alg, kid }) {
      const cacheKey = getJwks.generateCacheKey(anyAlg, kid, domain)
      for (;;) {
        const cached = getJwks.cache.get(cacheKey) !== undefined
        if (cached || found.has(cacheKey)) {
          // Cached, or a refresh of a key that existed: get-jwks fetches (one
          // fetch shared by concurrent requests) and falls back to its stale
          // copy. Only failures of such refreshes pause them.
          if (!cached && now() < refreshBlockedUntil) {
            throw new TokenRejectedError('invalid', 'the signing keys of the issuer cannot be fetched right now')
          }
          let jwk: Record<string, unknown>
          try {
            jwk = await fetchJwk(kid)
          } catch (error) {
            if ((error as { code?: unknown }).code === 'JWK_NOT_FOUND') found.delete(cacheKey)
            else refreshBlockedUntil = now() + refetchIntervalMs
            throw explain(error)
          }
          return pemFor(jwk, alg)
        }
        // A kid never seen: one such fetch at a time, and after a failed one
        // none until the interval has passed.
        if (unknownInFlight) {
          await unknownInFlight.catch(() => {})
          continue
        }
        if (now() < unknownBlockedUntil) {
          throw new TokenRejectedError('invalid', 'the signing key (kid) of the token is not known to the issuer')
        }
        const attempt = fetchJwk(kid)
        unknownInFlight = attempt
        let jwk: Record<string, unknown>
        try {
          jwk = await attempt
          found.add(cacheKey)
        } catch (error) {
          unknownBlockedUntil = now() + refetchIntervalMs
          throw explain(error)
        } finally {
          unknownInFlight = undefined
        }
        return pemFor(jwk, alg)
      }
    }
  }
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
    return { id: sub, scopes }
  }
}
