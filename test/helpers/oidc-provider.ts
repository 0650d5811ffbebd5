// A real OpenID provider on loopback, set up the way Logto sets up its own
// (Logto is built on oidc-provider): issuer `{domain}/oidc`, keys at
// /oidc/jwks, ES384 signatures, resource indicators giving JWT access tokens
// for the API resource (aud = the resource, its scopes in `scope`), a
// single-page app signing in with the authorization code flow and PKCE,
// refresh tokens, RP-initiated sign-out and key rotation.
//
// Nobody types a password: the sign-in interaction signs in `login_hint` (or
// the default user) at once and grants the API scopes that user may have, as
// Logto grants those of the user's roles.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider'
import { memoryAdapter } from './oidc-memory-adapter.ts'
import { allScopes } from '../../services/gateway/lib/scopes.ts'

export interface OidcProviderOptions {
  /** the API resource indicator (default https://api.playground.test) */
  resource?: string
  /** scopes of the API resource (default: those of the gateway's scope table) */
  resourceScopes?: string[]
  /** the single-page app: its client id and where it may send the browser back */
  spa?: { clientId: string, redirectUris: string[] }
  /** API scopes each user may be granted; a user not named here may have them all */
  users?: Record<string, string[]>
  /** who signs in when the authorization request has no login_hint */
  defaultUser?: string
  accessTokenTtlSec?: number
}

export interface SignedIn {
  accessToken: string
  refreshToken: string
  idToken: string
  scope: string
}

export interface OidcProvider {
  /** what LOGTO_DOMAIN would be */
  domain: string
  issuer: string
  resource: string
  /** fetches of /oidc/jwks so far */
  readonly jwksFetches: number
  /** grant_type of every successful token request, in order */
  grants: string[]
  /** sessions ended through /oidc/session/end */
  readonly endedSessions: number
  /** the kid new tokens are signed with */
  readonly signingKid: string
  /** the published key set */
  jwks (): { keys: JsonWebKey[] }
  /** signs `sub` in through the authorization code flow (PKCE) and exchanges the code for tokens for the resource */
  signIn (options?: { sub?: string, scope?: string }): Promise<SignedIn>
  /** an access token for the resource, as signIn gives it */
  token (options?: { sub?: string, scope?: string }): Promise<string>
  /** a refresh token grant for the resource, by the test client unless another is named */
  refresh (refreshToken: string, clientId?: string): Promise<SignedIn>
  /** publishes a new signing key first in the key set and signs with it from now on; the old keys stay published unless `retireOld` */
  rotateKeys (options?: { retireOld?: boolean }): string
  setAccessTokenTtl (seconds: number): void
  close (): Promise<void>
}

const testClient = { clientId: 'playground-tests', redirectUri: 'http://127.0.0.1/signed-in' }

function newSigningKey (): JsonWebKey & { kid: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  return { ...privateKey.export({ format: 'jwk' }), kid: `key-${randomUUID()}`, alg: 'ES384', use: 'sig' }
}

const publicPart = ({ d: _d, ...key }: JsonWebKey) => key

export async function startOidcProvider (options: OidcProviderOptions = {}): Promise<OidcProvider> {
  const resource = options.resource ?? 'https://api.playground.test'
  const resourceScopes = options.resourceScopes ?? allScopes()
  const defaultUser = options.defaultUser ?? 'user-1'
  let accessTokenTtlSec = options.accessTokenTtlSec ?? 3600
  const adapter = memoryAdapter()
  const cookieKeys = [randomBytes(32).toString('base64url')]
  // Newest first: the first key signs.
  let keys = [newSigningKey()]
  const grants: string[] = []
  const counters = { jwksFetches: 0, endedSessions: 0 }

  const server: Server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const domain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const issuer = `${domain}/oidc`

  const allowedScopes = (user: string) => options.users?.[user] ?? resourceScopes
  const spaOrigins = new Set((options.spa?.redirectUris ?? []).map(uri => new URL(uri).origin))

  function configuration (): Configuration {
    return {
      adapter,
      clients: [
        ...(options.spa
          ? [{
              client_id: options.spa.clientId,
              token_endpoint_auth_method: 'none' as const,
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code' as const],
              redirect_uris: options.spa.redirectUris,
              post_logout_redirect_uris: options.spa.redirectUris
            }]
          : []),
        {
          client_id: testClient.clientId,
          token_endpoint_auth_method: 'none' as const,
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code' as const],
          redirect_uris: [testClient.redirectUri]
        }
      ],
      clientDefaults: { id_token_signed_response_alg: 'ES384' },
      enabledJWA: { idTokenSigningAlgValues: ['ES384'] },
      jwks: { keys: keys as never },
      cookies: { keys: cookieKeys },
      claims: { openid: ['sub'], profile: ['name', 'username'] },
      scopes: ['openid', 'offline_access', 'profile'],
      pkce: { required: () => true },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: sub, username: sub }) }),
      interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}` },
      clientBasedCORS: (_ctx, origin) => spaOrigins.has(origin),
      renderError: async (ctx, out) => {
        ctx.type = 'json'
        ctx.body = out
      },
      ttl: {
        AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? accessTokenTtlSec,
        IdToken: 3600,
        RefreshToken: 14 * 24 * 3600,
        Interaction: 600,
        Session: 24 * 3600,
        Grant: 14 * 24 * 3600
      },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
        resourceIndicators: {
          enabled: true,
          defaultResource: async (_ctx, _client, oneOf) => oneOf ?? resource,
          useGrantedResource: async () => false,
          getResourceServerInfo: async (_ctx, indicator) => {
            if (indicator !== resource) throw new errors.InvalidTarget()
            return {
              scope: resourceScopes.join(' '),
              audience: resource,
              accessTokenTTL: accessTokenTtlSec,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES384', kid: keys[0]?.kid } }
            }
          }
        },
        rpInitiatedLogout: {
          enabled: true,
          // Logto asks nothing on sign-out: the form confirms itself.
          logoutSource: async (ctx, form) => {
            ctx.body = `<!doctype html><html><body>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}` +
              '<script>document.getElementById("op.logoutForm").submit()</script></body></html>'
          },
          postLogoutSuccessSource: async ctx => {
            ctx.body = '<!doctype html><html><body>Signed out.</body></html>'
          }
        }
      }
    }
  }

  function build (): { provider: Provider, handle: ReturnType<Provider['callback']> } {
    const provider = new Provider(issuer, configuration())
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => { grants.push(String(ctx.oidc.params?.grant_type)) })
    provider.on('end_session.success', () => { counters.endedSessions++ })
    return { provider, handle: provider.callback() }
  }
  let { provider, handle } = build()

  // Signs in at once and grants the allowed API scopes; refuses the others,
  // which marks them as asked so that consent is not asked again.
  async function interact (request: IncomingMessage, response: ServerResponse) {
    const details = await provider.interactionDetails(request, response)
    if (details.prompt.name === 'login') {
      const hint = details.params.login_hint
      const accountId = typeof hint === 'string' && hint !== '' ? hint : defaultUser
      await provider.interactionFinished(request, response, { login: { accountId } }, { mergeWithLastSubmission: false })
      return
    }
    const accountId = details.session?.accountId as string
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId) as InstanceType<Provider['Grant']>
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) })
    const missing = details.prompt.details as { missingOIDCScope?: string[], missingOIDCClaims?: string[], missingResourceScopes?: Record<string, string[]> }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      const allowed = allowedScopes(accountId)
      grant.addResourceScope(indicator, scopes.filter(scope => allowed.includes(scope)).join(' '))
      grant.rejectResourceScope(indicator, scopes.filter(scope => !allowed.includes(scope)).join(' '))
    }
    const grantId = await grant.save()
    await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true })
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/'
    if (url.startsWith('/oidc/interaction/')) {
      interact(request, response).catch((error: Error) => {
        response.writeHead(500, { 'content-type': 'text/plain' })
        response.end(`sign-in interaction failed: ${error.message}`)
      })
      return
    }
    if (url !== '/oidc' && !url.startsWith('/oidc/') && !url.startsWith('/oidc?')) {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end('{"message":"not found"}')
      return
    }
    if (request.method === 'GET' && url.split('?')[0] === '/oidc/jwks') counters.jwksFetches++
    // Mounted at /oidc, as Logto mounts it.
    Object.assign(request, { originalUrl: url })
    request.url = url.slice('/oidc'.length) || '/'
    handle(request, response)
  })

  async function tokenRequest (form: Record<string, string>): Promise<SignedIn> {
    const response = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams(form) })
    const body = await response.json() as Record<string, string>
    if (!response.ok) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`)
    return { accessToken: body.access_token as string, refreshToken: body.refresh_token as string, idToken: body.id_token as string, scope: body.scope ?? '' }
  }

  async function signIn ({ sub = defaultUser, scope = resourceScopes.join(' ') } = {}): Promise<SignedIn> {
    const verifier = randomBytes(32).toString('base64url')
    let url = `${issuer}/auth?${new URLSearchParams({
      client_id: testClient.clientId,
      redirect_uri: testClient.redirectUri,
      response_type: 'code',
      scope: `openid offline_access ${scope}`.trim(),
      resource,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: randomUUID(),
      prompt: 'consent',
      login_hint: sub
    })}`
    // Follows the redirects as a browser would, with its cookies.
    const cookies = new Map<string, string>()
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } })
      await response.arrayBuffer()
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';')
        const name = pair.slice(0, pair.indexOf('='))
        const value = pair.slice(pair.indexOf('=') + 1)
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) cookies.delete(name)
        else cookies.set(name, value)
      }
      const location = response.headers.get('location')
      if (!location) throw new Error(`sign-in stopped at ${url}: HTTP ${response.status}`)
      const next = new URL(location, url)
      if (next.href.startsWith(testClient.redirectUri)) {
        const code = next.searchParams.get('code')
        if (!code) throw new Error(`sign-in refused: ${next.searchParams.get('error_description') ?? next.searchParams.get('error')}`)
        return await tokenRequest({ grant_type: 'authorization_code', client_id: testClient.clientId, code, code_verifier: verifier, redirect_uri: testClient.redirectUri, resource })
      }
      url = next.href
    }
    throw new Error('sign-in did not come back within 10 redirects')
  }

  return {
    domain,
    issuer,
    resource,
    get jwksFetches () { return counters.jwksFetches },
    grants,
    get endedSessions () { return counters.endedSessions },
    get signingKid () { return keys[0]?.kid as string },
    jwks: () => ({ keys: keys.map(publicPart) }),
    signIn,
    token: async (request = {}) => (await signIn(request)).accessToken,
    refresh: (refreshToken, clientId = testClient.clientId) => tokenRequest({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, resource }),
    rotateKeys ({ retireOld = false } = {}) {
      const key = newSigningKey()
      keys = retireOld ? [key] : [key, ...keys]
      // The key set is fixed when a provider is made: a new one takes over,
      // with the same storage and cookie keys, so sessions and grants survive.
      ;({ provider, handle } = build())
      return key.kid
    },
    setAccessTokenTtl (seconds) { accessTokenTtlSec = seconds },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close(error => error ? reject(error) : resolve())
    })
  }
}
