// Sign-in. The gateway says which kind in /assets/web-config.json: 'dev' (its
// own issuer, POST /dev/token) or 'logto' (OIDC authorization code + PKCE,
// done here with fetch and WebCrypto). The session lives in sessionStorage:
// it survives a reload but not the closing of the tab.
import { ApiError, request } from './api.ts'

export type WebConfig =
  | { auth: 'dev', scopes: string[] }
  | { auth: 'logto', logtoEndpoint: string, appId: string, resource: string, scopes: string[] }

export interface Session {
  accessToken: string
  /** epoch ms */
  expiresAt: number
  scopes: string[]
  subject: string
  refreshToken?: string
  idToken?: string
}

const sessionKey = 'playground.session'
const pendingKey = 'playground.signin'

export async function loadConfig (): Promise<WebConfig> {
  return await request<WebConfig>('GET', '/assets/web-config.json', undefined, { auth: false })
}

function decodeJwtPayload (token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1] ?? ''
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='))
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, c => c.charCodeAt(0))))
    return typeof payload === 'object' && payload !== null ? payload as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

const splitScopes = (value: unknown): string[] => typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []

// The token's own claims are what the gateway checks, so they win over the
// token response's `scope` field.
function sessionFromToken (token: { access_token: string, expires_in?: number, scope?: string, refresh_token?: string, id_token?: string }): Session {
  const claims = decodeJwtPayload(token.access_token)
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + (token.expires_in ?? 3600) * 1000
  const scopes = typeof claims.scope === 'string' ? splitScopes(claims.scope) : splitScopes(token.scope)
  return {
    accessToken: token.access_token,
    expiresAt: exp,
    scopes,
    subject: typeof claims.sub === 'string' ? claims.sub : 'unknown',
    refreshToken: token.refresh_token,
    idToken: token.id_token
  }
}

export function currentSession (): Session | null {
  try {
    const raw = sessionStorage.getItem(sessionKey)
    if (!raw) return null
    const session = JSON.parse(raw) as Session
    // A token that expires within a few seconds would only earn a 401.
    if (typeof session.accessToken !== 'string' || session.expiresAt < Date.now() + 5000) return null
    return session
  } catch {
    return null
  }
}

function saveSession (session: Session): Session {
  sessionStorage.setItem(sessionKey, JSON.stringify(session))
  return session
}

export function clearSession (): void {
  sessionStorage.removeItem(sessionKey)
}

export async function devSignIn (config: WebConfig): Promise<Session> {
  const token = await request<{ access_token: string, expires_in: number, scope: string }>(
    'POST', '/dev/token', { scopes: config.scopes, sub: 'dev-student' }, { auth: false })
  return saveSession(sessionFromToken(token))
}

// --- Logto (OIDC authorization code with PKCE) ---

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

function randomString (): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)))
}

async function pkceChallenge (verifier: string): Promise<string> {
  // WebCrypto exists only on secure pages (https, or localhost/127.0.0.1).
  if (!globalThis.crypto?.subtle) throw new Error('sign-in with Logto needs the page on https (or on localhost)')
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return base64url(new Uint8Array(digest))
}

const redirectUri = () => `${location.origin}/`

export async function logtoSignIn (config: Extract<WebConfig, { auth: 'logto' }>): Promise<never> {
  const verifier = randomString()
  const state = randomString()
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, returnTo: location.hash }))
  const params = new URLSearchParams({
    client_id: config.appId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: ['openid', 'offline_access', ...config.scopes].join(' '),
    resource: config.resource,
    code_challenge: await pkceChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    // Logto hands out a refresh token only after consent.
    prompt: 'consent'
  })
  location.assign(`${config.logtoEndpoint}/oidc/auth?${params}`)
  return await new Promise<never>(() => {})
}

async function tokenRequest (config: Extract<WebConfig, { auth: 'logto' }>, form: Record<string, string>) {
  let response: Response
  try {
    response = await fetch(`${config.logtoEndpoint}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: config.appId, resource: config.resource, ...form })
    })
  } catch {
    throw new ApiError('network', 0, `Cannot reach the sign-in service at ${config.logtoEndpoint}. Check your connection and try again.`)
  }
  const body = await response.json().catch(() => ({})) as Record<string, string>
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new ApiError('unauthorized', response.status, `sign-in failed: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}`)
  }
  return body as unknown as { access_token: string, expires_in?: number, scope?: string, refresh_token?: string, id_token?: string }
}

/**
 * Finishes a Logto sign-in when the page was opened by its redirect
 * (?code=…&state=…), and puts back the address it started from. Returns
 * whether this page load was such a callback.
 */
export async function completeLogtoSignIn (config: WebConfig): Promise<boolean> {
  const params = new URLSearchParams(location.search)
  if (!params.has('code') && !params.has('error')) return false
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null') as { verifier: string, state: string, returnTo: string } | null
  sessionStorage.removeItem(pendingKey)
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', `/${pending?.returnTo ?? ''}`)
  if (config.auth !== 'logto') throw new ApiError('unauthorized', 0, 'sign-in failed: this server does not use Logto')
  if (params.has('error')) throw new ApiError('unauthorized', 0, `sign-in failed: ${params.get('error_description') ?? params.get('error')}`)
  if (!pending || pending.state !== params.get('state')) throw new ApiError('unauthorized', 0, 'sign-in failed: the answer from the sign-in service does not match a sign-in started here; please try again')
  const token = await tokenRequest(config, {
    grant_type: 'authorization_code',
    code: params.get('code') ?? '',
    code_verifier: pending.verifier,
    redirect_uri: redirectUri()
  })
  saveSession(sessionFromToken(token))
  return true
}

/** A fresh access token from the refresh token, when there is one. */
export async function refreshSession (config: WebConfig): Promise<Session | null> {
  if (config.auth !== 'logto') return null
  const raw = sessionStorage.getItem(sessionKey)
  const old = raw ? JSON.parse(raw) as Session : null
  if (!old?.refreshToken) return null
  try {
    const token = await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: old.refreshToken })
    return saveSession({ ...sessionFromToken(token), refreshToken: token.refresh_token ?? old.refreshToken, idToken: token.id_token ?? old.idToken })
  } catch {
    return null
  }
}

export function signOut (config: WebConfig | null): void {
  const raw = sessionStorage.getItem(sessionKey)
  const old = raw ? JSON.parse(raw) as Session : null
  clearSession()
  if (config?.auth === 'logto') {
    // Ends the Logto session too, then comes back here.
    const params = new URLSearchParams({ client_id: config.appId, post_logout_redirect_uri: redirectUri() })
    if (old?.idToken) params.set('id_token_hint', old.idToken)
    location.assign(`${config.logtoEndpoint}/oidc/session/end?${params}`)
  }
}
