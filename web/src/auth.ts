// Sign-in. The gateway says which kind in /assets/web-config.json:
// - 'dev': its own issuer (POST /dev/token); the token lives in
//   sessionStorage, so it survives a reload but not the closing of the tab;
// - 'logto': Logto's browser SDK does all of it (authorization code with
//   PKCE, the access token for the API resource, its renewal with the refresh
//   token, sign-out); it keeps its tokens in localStorage.
import LogtoClient, { LogtoClientError, LogtoError } from '@logto/browser'
import { ApiError, request } from './api.ts'

export type WebConfig =
  | { auth: 'dev', scopes: string[] }
  | { auth: 'logto', logtoEndpoint: string, appId: string, resource: string, scopes: string[] }

type LogtoConfig = Extract<WebConfig, { auth: 'logto' }>

/** Who is signed in, as the access token says. */
export interface Session {
  accessToken: string
  /** epoch ms */
  expiresAt: number
  scopes: string[]
  subject: string
  /** the token's display name, if it has one */
  name?: string
}

/** The scope that opens the teachers' workspace. */
export const teacherScope = 'write:resource'

export const isTeacher = (session: Session | null) => session?.scopes.includes(teacherScope) === true

const devSessionKey = 'playground.session'
const returnToKey = 'playground.return-to'

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

// The token's own claims are what the gateway checks.
function sessionFromToken (accessToken: string): Session {
  const claims = decodeJwtPayload(accessToken)
  return {
    accessToken,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000,
    scopes: typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [],
    subject: typeof claims.sub === 'string' ? claims.sub : 'unknown',
    ...(typeof claims.name === 'string' && claims.name.trim() !== '' ? { name: claims.name.trim() } : {})
  }
}

// --- Dev sign-in ---

function devSession (): Session | null {
  try {
    const raw = sessionStorage.getItem(devSessionKey)
    if (!raw) return null
    const session = JSON.parse(raw) as Session
    // A token that expires within a few seconds would only earn a 401.
    if (typeof session.accessToken !== 'string' || session.expiresAt < Date.now() + 5000) return null
    return session
  } catch {
    return null
  }
}

export type DevRole = 'student' | 'teacher'

// A stable user id per name and role, in the characters a dev `sub` allows:
// signing in again with the same name is the same learner.
export function devSubject (name: string, role: DevRole): string {
  if (name.trim() === '') return `dev-${role}`
  const slug = name.trim().toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40)
  let hash = 0x811c9dc5
  for (const unit of name.trim()) hash = Math.imul(hash ^ (unit.codePointAt(0) ?? 0), 0x01000193) >>> 0
  return `dev-${role}-${slug || hash.toString(16)}`
}

export async function devSignIn (config: WebConfig, options: { name?: string, role?: DevRole } = {}): Promise<Session> {
  const role = options.role ?? 'student'
  const name = options.name?.trim() ?? ''
  // A student gets every scope but the teachers' one.
  const scopes = role === 'teacher' ? config.scopes : config.scopes.filter(scope => scope !== teacherScope)
  const body = { scopes, sub: devSubject(name, role), ...(name === '' ? {} : { name }) }
  const token = await request<{ access_token: string }>('POST', '/dev/token', body, { auth: false })
  const session = sessionFromToken(token.access_token)
  sessionStorage.setItem(devSessionKey, JSON.stringify(session))
  return session
}

// --- Logto ---

let client: LogtoClient | undefined

function logto (config: LogtoConfig): LogtoClient {
  client ??= new LogtoClient({ endpoint: config.logtoEndpoint, appId: config.appId, resources: [config.resource], scopes: config.scopes })
  return client
}

// Registered in Logto as the redirect and post-sign-out URI of the page.
const redirectUri = () => `${location.origin}/`

function signInFailure (error: unknown): ApiError {
  if (error instanceof ApiError) return error
  const code = error instanceof LogtoClientError || error instanceof LogtoError ? error.code : ''
  if (code === 'sign_in_session.not_found' || code === 'sign_in_session.invalid' || code.startsWith('callback_uri_verification.')) {
    return new ApiError('unauthorized', 0, 'sign-in failed: the answer from the sign-in service does not match a sign-in started here; please try again')
  }
  if (error instanceof TypeError) {
    return new ApiError('network', 0, 'Cannot reach the sign-in service. Check your connection and try again.')
  }
  return new ApiError('unauthorized', 0, `sign-in failed: ${error instanceof Error ? error.message : String(error)}`)
}

export async function logtoSignIn (config: LogtoConfig): Promise<never> {
  // WebCrypto (for PKCE) exists only on secure pages: https, or localhost/127.0.0.1.
  if (!globalThis.crypto?.subtle) throw new ApiError('unauthorized', 0, 'sign-in with Logto needs the page on https (or on localhost)')
  sessionStorage.setItem(returnToKey, location.hash)
  try {
    await logto(config).signIn(redirectUri())
  } catch (error) {
    throw signInFailure(error)
  }
  return await new Promise<never>(() => {})
}

/**
 * Finishes a Logto sign-in when the page was opened by its redirect
 * (?code=…&state=…), and puts back the address it started from. Returns
 * whether this page load was such a callback.
 */
export async function completeLogtoSignIn (config: WebConfig): Promise<boolean> {
  const params = new URLSearchParams(location.search)
  if (!params.has('code') && !params.has('error')) return false
  const callbackUri = location.href
  const returnTo = sessionStorage.getItem(returnToKey) ?? ''
  sessionStorage.removeItem(returnToKey)
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', `/${returnTo}`)
  if (config.auth !== 'logto') throw new ApiError('unauthorized', 0, 'sign-in failed: this server does not use Logto')
  if (params.has('error')) throw new ApiError('unauthorized', 0, `sign-in failed: ${params.get('error_description') ?? params.get('error')}`)
  try {
    await logto(config).handleSignInCallback(callbackUri)
  } catch (error) {
    throw signInFailure(error)
  }
  return true
}

/** The access token for the API, renewed by the SDK when it has expired; null when signed out. */
export async function accessToken (config: WebConfig | null): Promise<string | null> {
  if (config?.auth !== 'logto') return devSession()?.accessToken ?? null
  const sdk = logto(config)
  try {
    return await sdk.isAuthenticated() ? await sdk.getAccessToken(config.resource) : null
  } catch {
    // The refresh token was refused (expired, revoked): sign in again.
    return null
  }
}

/** The session this page has, if any (after a reload, for instance). */
export async function restoreSession (config: WebConfig): Promise<Session | null> {
  if (config.auth !== 'logto') return devSession()
  const token = await accessToken(config)
  return token ? sessionFromToken(token) : null
}

/** Forgets the access token the gateway refused (the Logto sign-in itself stays until sign-out). */
export function clearSession (config: WebConfig | null): void {
  sessionStorage.removeItem(devSessionKey)
  if (config?.auth === 'logto') void logto(config).clearAccessToken()
}

export async function signOut (config: WebConfig | null): Promise<void> {
  sessionStorage.removeItem(devSessionKey)
  // Revokes the refresh token, forgets every token and ends the Logto
  // session too, then comes back here.
  if (config?.auth === 'logto') await logto(config).signOut(redirectUri())
}
