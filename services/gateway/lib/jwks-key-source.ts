// The public keys of Logto's access tokens, from its key set at
// `{issuer}/jwks`: fetched, cached, and fetched again when a token names a
// key id (kid) that the cached set lacks.
//
// The promise to keep: a key Logto starts signing with is accepted within
// `refetchIntervalMs` (+ one fetch) of its appearance in the key set, whatever
// tokens anyone sends. So there is one rule, for every fetch whoever causes it:
// no two fetches start closer together than `refetchIntervalMs`. A fetch
// caused by a made-up kid replaces the whole cached set, so it can only bring
// a new key in earlier; it never stops the next fetch once the interval has
// passed. The same interval caps what made-up kids cost Logto: one fetch per
// interval at most.
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { TokenRejectedError } from './token-rejection.ts'

/** the default minimum time between two fetches of the key set, and so the delay before a new key is seen */
export const defaultJwksRefetchIntervalMs = 5_000
/** after this long, a cached key set is fetched again when a token uses it (a key Logto removed stops working) */
export const defaultJwksCacheTtlMs = 10 * 60_000
export const defaultJwksFetchTimeoutMs = 5_000
const maxKeySetBytes = 256 * 1024

/** Supplies the PEM public key for a token header; rejects with TokenRejectedError. */
export interface KeySource {
  keyFor (header: { alg: string, kid: string }): Promise<string>
}

export interface JwksKeySourceOptions {
  /** token issuer, e.g. https://tenant.logto.app/oidc; the key set is at `${issuer}/jwks` */
  issuer: string
  /** no two fetches of the key set start closer together than this (ms) */
  refetchIntervalMs?: number
  /** a key set older than this is fetched again when a token uses it (ms) */
  cacheTtlMs?: number
  fetchTimeoutMs?: number
  /** told when the key set cannot be fetched (never given a token) */
  onFetchFailure?: (reason: string) => void
  now?: () => number
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
  const { kty, crv, x, y, n, e } = jwk
  return createPublicKey({ key: { kty, crv, x, y, n, e } as JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' }) as string
}

type KeySet = Map<string, Record<string, unknown>>

async function fetchKeySet (url: string, timeoutMs: number): Promise<KeySet> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
  const text = await response.text()
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  if (text.length > maxKeySetBytes) throw new Error('the key set is too large')
  const keys = (JSON.parse(text) as { keys?: unknown }).keys
  if (!Array.isArray(keys)) throw new Error('the answer has no "keys" list')
  const set: KeySet = new Map()
  for (const key of keys) {
    const jwk = key as Record<string, unknown>
    if (typeof jwk === 'object' && jwk !== null && typeof jwk.kid === 'string' && !set.has(jwk.kid)) set.set(jwk.kid, jwk)
  }
  return set
}

export function createJwksKeySource (options: JwksKeySourceOptions): KeySource {
  const refetchIntervalMs = options.refetchIntervalMs ?? defaultJwksRefetchIntervalMs
  const cacheTtlMs = options.cacheTtlMs ?? defaultJwksCacheTtlMs
  const fetchTimeoutMs = options.fetchTimeoutMs ?? defaultJwksFetchTimeoutMs
  const now = options.now ?? Date.now
  const url = `${options.issuer.replace(/\/+$/, '')}/jwks`

  let keySet: KeySet | undefined
  let fetchedAt = 0
  let lastAttemptAt = -Infinity
  let lastAttemptFailed = false
  let inFlight: Promise<void> | undefined

  // One fetch at a time; whoever comes while it runs waits for its result.
  function refresh (): Promise<void> {
    if (inFlight) return inFlight
    const startedAt = now()
    lastAttemptAt = startedAt
    inFlight = fetchKeySet(url, fetchTimeoutMs).then(set => {
      keySet = set
      fetchedAt = startedAt
      lastAttemptFailed = false
    }, (error: unknown) => {
      // A failed fetch keeps the last good set: known keys go on working.
      lastAttemptFailed = true
      const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${fetchTimeoutMs} ms` : error.message) : String(error)
      options.onFetchFailure?.(`cannot fetch the signing keys from ${url}: ${reason}`)
    }).finally(() => {
      inFlight = undefined
    })
    return inFlight
  }

  // The PEM of a key is built once per fetched JWK object.
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
      const stale = keySet === undefined || now() - fetchedAt >= cacheTtlMs
      if (stale || !keySet?.has(kid)) {
        // A fetch that is running may have started before the key was
        // published; then the next one, an interval later, finds it.
        if (inFlight) await inFlight
        else if (now() - lastAttemptAt >= refetchIntervalMs) await refresh()
      }
      const jwk = keySet?.get(kid)
      if (jwk !== undefined) return pemFor(jwk, alg)
      if (keySet === undefined || lastAttemptFailed) {
        throw new TokenRejectedError('invalid', 'the signing keys of the issuer cannot be fetched right now')
      }
      throw new TokenRejectedError('invalid', 'the signing key (kid) of the token is not known to the issuer')
    }
  }
}
