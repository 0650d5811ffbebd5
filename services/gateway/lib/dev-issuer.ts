// The local development issuer: when no Logto tenant is configured (and never
// in production) the gateway makes its own ES384 key pair at start and issues
// access tokens shaped like Logto's, which then go through the very same
// verification as Logto's tokens.
import { generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { MAX_DISPLAY_NAME_LENGTH, cleanDisplayName } from '../../../lib/identity-headers.ts'
import { allScopes } from './scopes.ts'
import { TokenRejectedError, type KeySource } from './token-verifier.ts'

export const devIssuerName = 'urn:database-playground:dev-issuer'
export const defaultDevAudience = 'http://localhost/api'
export const defaultDevSubject = 'dev-student'
export const devTokenLifetimeSec = 3600

export interface DevTokenRequest {
  scopes?: string[] | string
  sub?: string
  /** a display name for the token's `name` claim (what leaderboards show) */
  name?: string
}

export interface DevTokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  scope: string
}

/** A request for a dev token that cannot be served (answered with 400). */
export class DevTokenRequestError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'DevTokenRequestError'
  }
}

export interface DevIssuer {
  issuer: string
  audience: string
  kid: string
  jwks (): { keys: JsonWebKey[] }
  keySource: KeySource
  issue (request?: DevTokenRequest): DevTokenResponse
}

export interface DevIssuerOptions {
  audience: string
  issuer?: string
  lifetimeSec?: number
  /** scopes a token may carry; by default those of the scope table */
  knownScopes?: string[]
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** Compact JWS with ES384 (IEEE P1363 signature, as JOSE wants it). */
export function signEs384 (header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  const signature = sign('sha384', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return `${input}.${base64url(signature)}`
}

function readScopes (raw: unknown, known: string[]): string[] {
  if (raw === undefined || raw === null) return known
  let list: unknown[]
  if (typeof raw === 'string') list = raw.split(/[\s,]+/).filter(part => part !== '')
  else if (Array.isArray(raw)) list = raw
  else throw new DevTokenRequestError('scopes must be a list of scope names or a space-separated string')
  const scopes: string[] = []
  for (const scope of list) {
    if (typeof scope !== 'string' || !known.includes(scope)) {
      throw new DevTokenRequestError(`unknown scope ${JSON.stringify(scope)}; known scopes: ${known.join(' ')}`)
    }
    if (!scopes.includes(scope)) scopes.push(scope)
  }
  return scopes
}

function readSubject (raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') return defaultDevSubject
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(raw)) {
    throw new DevTokenRequestError('sub must be 1 to 255 visible ASCII characters without spaces')
  }
  return raw
}

// Refused rather than cleaned: whoever asks for a dev token sees at once why
// their name would not show. The gateway cleans it again when it forwards it.
function readName (raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined
  const text = typeof raw === 'string' ? raw.trim() : ''
  // cleanDisplayName is what the gateway forwards: null for a blank name or one with an e-mail address.
  const shown = cleanDisplayName(text)
  if (shown === null || Array.from(text).length > MAX_DISPLAY_NAME_LENGTH || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) {
    throw new DevTokenRequestError(`name must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters of text without control characters, and no e-mail address`)
  }
  return shown
}

export function createDevIssuer (options: DevIssuerOptions): DevIssuer {
  const issuer = options.issuer ?? devIssuerName
  const { audience } = options
  const lifetimeSec = options.lifetimeSec ?? devTokenLifetimeSec
  const knownScopes = options.knownScopes ?? allScopes()
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const kid = `dev-${randomUUID()}`
  const publicJwk: JsonWebKey = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' }
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string

  return {
    issuer,
    audience,
    kid,
    jwks: () => ({ keys: [{ ...publicJwk }] }),
    // Tokens are checked against the in-memory key: no HTTP round trip to ourselves.
    keySource: {
      async keyFor ({ alg, kid: wanted }) {
        if (wanted !== kid || alg !== 'ES384') {
          throw new TokenRejectedError('invalid', 'the signing key (kid) of the token is not known to the issuer')
        }
        return publicPem
      }
    },
    issue (request = {}) {
      const scopes = readScopes(request.scopes, knownScopes)
      const sub = readSubject(request.sub)
      const name = readName(request.name)
      const iat = Math.floor(Date.now() / 1000)
      const scope = scopes.join(' ')
      const accessToken = signEs384(
        { alg: 'ES384', typ: 'at+jwt', kid },
        { iss: issuer, aud: audience, sub, ...(name === undefined ? {} : { name }), scope, iat, exp: iat + lifetimeSec, jti: randomUUID(), client_id: 'dev-issuer' },
        privateKey
      )
      return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetimeSec, scope }
    }
  }
}

/** GET /dev/jwks and POST /dev/token; registered only in dev mode. */
export function registerDevRoutes (app: FastifyInstance, issuer: DevIssuer): void {
  app.get('/dev/jwks', { schema: { hide: true } as object }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return issuer.jwks()
  })

  app.post('/dev/token', { schema: { hide: true } as object }, async (request, reply) => {
    const body = request.body ?? {}
    if (typeof body !== 'object' || Array.isArray(body)) {
      return reply.code(400).send({ message: 'expected a JSON object like {"scopes": ["read:question"], "sub": "someone", "name": "Some One"}' })
    }
    try {
      const token = issuer.issue(body as DevTokenRequest)
      reply.header('cache-control', 'no-store')
      return token
    } catch (error) {
      if (error instanceof DevTokenRequestError) return reply.code(400).send({ message: error.message })
      throw error
    }
  })
}
