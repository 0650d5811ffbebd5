// A stand-in for a Logto tenant, for the browser: the authorization endpoint
// answers at once (as if the person had signed in and consented), the token
// endpoint checks PKCE and hands out Logto-shaped access tokens for the API
// resource, and the end-session endpoint sends the browser back.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { encodeJwt, makeKey } from '../gateway/fake-logto.ts'

export interface FakeOidc {
  domain: string
  resource: string
  clientId: string
  /** the query of every authorization request */
  authorizations: URLSearchParams[]
  /** the form of every token request */
  tokenRequests: URLSearchParams[]
  endSessions: URLSearchParams[]
  close: () => Promise<void>
}

interface PendingCode { challenge: string, redirectUri: string, scope: string }

const base64url = (data: Buffer) => data.toString('base64url')

async function readBody (request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startFakeOidc (options: { clientId: string, resource: string, subject: string, grantedScopes: string[] }): Promise<FakeOidc> {
  const key = makeKey()
  const codes = new Map<string, PendingCode>()
  const refreshTokens = new Map<string, string>()
  const authorizations: URLSearchParams[] = []
  const tokenRequests: URLSearchParams[] = []
  const endSessions: URLSearchParams[] = []
  let domain = ''

  function accessToken (requestedScope: string): { access_token: string, scope: string } {
    // Like Logto: only the requested API scopes the user's roles allow.
    const scope = requestedScope.split(' ').filter(name => options.grantedScopes.includes(name)).join(' ')
    const iat = Math.floor(Date.now() / 1000)
    const token = encodeJwt(
      { alg: key.alg, typ: 'at+jwt', kid: key.kid },
      { jti: randomUUID(), sub: options.subject, iat, exp: iat + 3600, scope, client_id: options.clientId, iss: `${domain}/oidc`, aud: options.resource },
      { key: key.privateKey })
    return { access_token: token, scope }
  }

  function json (response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
    response.end(JSON.stringify(body))
  }

  async function token (request: IncomingMessage, response: ServerResponse) {
    const form = new URLSearchParams(await readBody(request))
    tokenRequests.push(form)
    if (form.get('client_id') !== options.clientId) return json(response, 401, { error: 'invalid_client' })
    if (form.get('resource') !== options.resource) return json(response, 400, { error: 'invalid_target' })
    let scope: string
    if (form.get('grant_type') === 'authorization_code') {
      const pending = codes.get(form.get('code') ?? '')
      codes.delete(form.get('code') ?? '')
      const verifier = form.get('code_verifier') ?? ''
      if (!pending || pending.redirectUri !== form.get('redirect_uri') ||
        base64url(createHash('sha256').update(verifier).digest()) !== pending.challenge) {
        return json(response, 400, { error: 'invalid_grant', error_description: 'code, redirect_uri or code_verifier do not match' })
      }
      scope = pending.scope
    } else if (form.get('grant_type') === 'refresh_token') {
      const known = refreshTokens.get(form.get('refresh_token') ?? '')
      if (known === undefined) return json(response, 400, { error: 'invalid_grant', error_description: 'unknown refresh token' })
      scope = known
    } else {
      return json(response, 400, { error: 'unsupported_grant_type' })
    }
    const refreshToken = base64url(randomBytes(24))
    refreshTokens.set(refreshToken, scope)
    json(response, 200, { ...accessToken(scope), token_type: 'Bearer', expires_in: 3600, refresh_token: refreshToken })
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', domain)
    if (request.method === 'GET' && url.pathname === '/oidc/jwks') return json(response, 200, { keys: [key.jwk] })
    if (request.method === 'GET' && url.pathname === '/oidc/auth') {
      const query = url.searchParams
      authorizations.push(query)
      const redirectUri = query.get('redirect_uri') ?? ''
      if (query.get('client_id') !== options.clientId || query.get('response_type') !== 'code' ||
        query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge') || !redirectUri) {
        return json(response, 400, { error: 'invalid_request' })
      }
      const code = base64url(randomBytes(16))
      codes.set(code, { challenge: query.get('code_challenge') ?? '', redirectUri, scope: query.get('scope') ?? '' })
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      back.searchParams.set('state', query.get('state') ?? '')
      response.writeHead(302, { location: back.toString() })
      return response.end()
    }
    if (request.method === 'POST' && url.pathname === '/oidc/token') {
      token(request, response).catch(() => json(response, 500, { error: 'server_error' }))
      return
    }
    if (request.method === 'GET' && url.pathname === '/oidc/session/end') {
      endSessions.push(url.searchParams)
      response.writeHead(302, { location: url.searchParams.get('post_logout_redirect_uri') ?? '/' })
      return response.end()
    }
    json(response, 404, { error: 'not_found' })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  domain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    domain,
    resource: options.resource,
    clientId: options.clientId,
    authorizations,
    tokenRequests,
    endSessions,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close(error => error ? reject(error) : resolve())
    })
  }
}
