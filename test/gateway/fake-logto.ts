// A stand-in for a Logto tenant on loopback: serves /oidc/jwks (counting the
// fetches) and signs access tokens shaped like Logto's (ES384, typ at+jwt).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto'

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: JsonWebKey
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url')

export function makeKey (kid = `key-${randomUUID()}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' } }
}

/** Any JWS: ES384 with a key, HS256 with a secret, or unsigned ('none'). */
export function encodeJwt (
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: { es384: KeyObject } | { hs256: string | Buffer } | 'none'
): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`
  if (signer === 'none') return `${input}.`
  if ('es384' in signer) {
    return `${input}.${b64(sign('sha384', Buffer.from(input), { key: signer.es384, dsaEncoding: 'ieee-p1363' }))}`
  }
  return `${input}.${b64(createHmac('sha256', signer.hs256).update(input).digest())}`
}

export interface FakeLogto {
  domain: string
  issuer: string
  resource: string
  keys: SigningKey[]
  /** how many times /oidc/jwks was fetched */
  jwksFetches: number
  addKey (): SigningKey
  /** a valid token, like Logto issues for `resource` */
  token (options?: { sub?: string, scope?: string, claims?: Record<string, unknown>, header?: Record<string, unknown>, key?: SigningKey }): string
  close (): Promise<void>
}

export async function startFakeLogto (resource = 'https://api.playground.test'): Promise<FakeLogto> {
  const state = { jwksFetches: 0 }
  const keys: SigningKey[] = [makeKey()]
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/oidc/jwks') {
      state.jwksFetches++
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ keys: keys.map(key => key.jwk) }))
      return
    }
    response.writeHead(404, { 'content-type': 'application/json' })
    response.end('{"message":"not found"}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const domain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const issuer = `${domain}/oidc`

  return {
    domain,
    issuer,
    resource,
    keys,
    get jwksFetches () { return state.jwksFetches },
    addKey () {
      const key = makeKey()
      keys.push(key)
      return key
    },
    token (options = {}) {
      const key = options.key ?? (keys[0] as SigningKey)
      const iat = Math.floor(Date.now() / 1000)
      return encodeJwt(
        { alg: 'ES384', typ: 'at+jwt', kid: key.kid, ...options.header },
        {
          jti: randomUUID(),
          sub: options.sub ?? 'user-1',
          iat,
          exp: iat + 3600,
          scope: options.scope ?? 'read:question',
          client_id: 'spa-client',
          iss: issuer,
          aud: resource,
          ...options.claims
        },
        { es384: key.privateKey }
      )
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close(error => error ? reject(error) : resolve())
    })
  }
}
