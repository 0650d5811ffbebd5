// The one hand-made issuer left, for tokens no real provider would sign: alg
// none, HS256 keyed with the public key, a wrong issuer or audience, missing
// claims, a crit header, an algorithm the key was not made for. It serves
// /oidc/jwks on loopback and signs whatever it is told to (ES384 by default,
// typ at+jwt). Everything else is tested against the real provider in
// test/helpers/oidc-provider.ts.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { constants, createHmac, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto'

export type KeyAlgorithm = 'ES384' | 'RS256' | 'PS256' | 'EdDSA'

export interface SigningKey {
  kid: string
  alg: KeyAlgorithm
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: JsonWebKey
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url')

export function makeKey (kid = `key-${randomUUID()}`, alg: KeyAlgorithm = 'ES384'): SigningKey {
  const pair = alg === 'ES384'
    ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
    : alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 })
  const { privateKey, publicKey } = pair
  return { kid, alg, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } }
}

function signature (alg: string, input: string, key: KeyObject): Buffer {
  const data = Buffer.from(input)
  switch (alg) {
    case 'ES384': return sign('sha384', data, { key, dsaEncoding: 'ieee-p1363' })
    case 'RS256': return sign('sha256', data, key)
    case 'PS256': return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
    case 'EdDSA': return sign(null, data, key)
    default: throw new Error(`the fake Logto cannot sign ${alg}`)
  }
}

/** Any JWS: signed with a key (by the header's alg), HS256 with a secret, or unsigned. */
export function encodeJwt (
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: { key: KeyObject, signAs?: KeyAlgorithm } | { hs256: string | Buffer } | 'none'
): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`
  if (signer === 'none') return `${input}.`
  if ('key' in signer) return `${input}.${b64(signature(signer.signAs ?? String(header.alg), input, signer.key))}`
  return `${input}.${b64(createHmac('sha256', signer.hs256).update(input).digest())}`
}

export interface FakeLogto {
  domain: string
  issuer: string
  resource: string
  keys: SigningKey[]
  addKey (alg?: KeyAlgorithm): SigningKey
  /** a valid token, like Logto issues for `resource` */
  token (options?: { sub?: string, scope?: string, claims?: Record<string, unknown>, header?: Record<string, unknown>, key?: SigningKey }): string
  close (): Promise<void>
}

export async function startFakeLogto (resource = 'https://api.playground.test'): Promise<FakeLogto> {
  const keys: SigningKey[] = [makeKey()]
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/oidc/jwks') {
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
    addKey (alg?: KeyAlgorithm) {
      const key = makeKey(undefined, alg)
      keys.push(key)
      return key
    },
    token (options = {}) {
      const key = options.key ?? (keys[0] as SigningKey)
      const iat = Math.floor(Date.now() / 1000)
      return encodeJwt(
        { alg: key.alg, typ: 'at+jwt', kid: key.kid, ...options.header },
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
        { key: key.privateKey }
      )
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close(error => error ? reject(error) : resolve())
    })
  }
}
