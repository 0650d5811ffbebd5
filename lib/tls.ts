// TLS for standalone mode: loads and checks the certificate files named in
// the settings, builds the mutual-TLS server options of questions/dbrunner,
// the per-request client-certificate check, and the client dispatcher that
// presents the client certificate and trusts only the project CA.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { Agent, Pool, type Dispatcher } from 'undici'
import { ConfigError, type Config } from './config.ts'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))

type FileSetting = 'TLS_CA_CERT_FILE' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'CLIENT_TLS_CERT_FILE' | 'CLIENT_TLS_KEY_FILE' | 'PUBLIC_TLS_CERT_FILE' | 'PUBLIC_TLS_KEY_FILE'

// Relative paths are from the project folder, whatever the working directory.
export function tlsFilePath (path: string): string {
  return isAbsolute(path) ? path : resolve(projectRoot, path)
}

function readPem (config: Config, setting: FileSetting): { path: string, pem: string } {
  const configured = config[setting]
  if (!configured) throw new ConfigError(setting, 'is empty; it must name a PEM file')
  const path = tlsFilePath(configured)
  try {
    return { path, pem: readFileSync(path, 'utf8') }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : (error as Error).message
    throw new ConfigError(setting, `cannot read ${path}: ${reason}${setting.includes('CERT') || setting.includes('KEY') ? ' (npm run certs creates development certificates)' : ''}`)
  }
}

function readCertificate (config: Config, setting: FileSetting): { pem: string, x509: X509Certificate } {
  const { path, pem } = readPem(config, setting)
  try {
    return { pem, x509: new X509Certificate(pem) }
  } catch {
    throw new ConfigError(setting, `${path} is not a PEM certificate`)
  }
}

function readKey (config: Config, setting: FileSetting): { pem: string, key: KeyObject } {
  const { path, pem } = readPem(config, setting)
  try {
    return { pem, key: createPrivateKey(pem) }
  } catch {
    throw new ConfigError(setting, `${path} is not a PEM private key (or is encrypted)`)
  }
}

function checkDates (x509: X509Certificate, setting: FileSetting, now = new Date()): void {
  if (now < new Date(x509.validFrom)) throw new ConfigError(setting, `the certificate is not valid before ${x509.validFrom}`)
  if (now > new Date(x509.validTo)) throw new ConfigError(setting, `the certificate expired on ${x509.validTo}`)
}

export function issuedBy (certificate: X509Certificate, ca: X509Certificate): boolean {
  return certificate.checkIssued(ca) && certificate.verify(ca.publicKey)
}

function readPair (config: Config, certSetting: FileSetting, keySetting: FileSetting, ca: X509Certificate | null) {
  const cert = readCertificate(config, certSetting)
  const key = readKey(config, keySetting)
  if (!cert.x509.checkPrivateKey(key.key)) throw new ConfigError(keySetting, `is not the private key of ${certSetting}`)
  checkDates(cert.x509, certSetting)
  if (ca && !issuedBy(cert.x509, ca)) throw new ConfigError(certSetting, 'is not issued by the project CA (TLS_CA_CERT_FILE)')
  return { cert: cert.pem, key: key.pem, x509: cert.x509 }
}

export interface ProjectCa {
  pem: string
  x509: X509Certificate
}

export function loadProjectCa (config: Config): ProjectCa {
  const { pem, x509 } = readCertificate(config, 'TLS_CA_CERT_FILE')
  if (!x509.ca) throw new ConfigError('TLS_CA_CERT_FILE', 'is not a CA certificate')
  checkDates(x509, 'TLS_CA_CERT_FILE')
  return { pem, x509 }
}

export interface ServerTls {
  ca: ProjectCa
  cert: string
  key: string
}

export interface ClientTls {
  ca: ProjectCa
  cert: string
  key: string
}

export function loadServerTls (config: Config): ServerTls {
  const ca = loadProjectCa(config)
  const { cert, key } = readPair(config, 'TLS_CERT_FILE', 'TLS_KEY_FILE', ca.x509)
  return { ca, cert, key }
}

export function loadClientTls (config: Config): ClientTls {
  const ca = loadProjectCa(config)
  const { cert, key } = readPair(config, 'CLIENT_TLS_CERT_FILE', 'CLIENT_TLS_KEY_FILE', ca.x509)
  return { ca, cert, key }
}

// Both or neither; any issuer (a public CA, usually).
export function loadPublicTls (config: Config): { cert: string, key: string } | null {
  if (!config.PUBLIC_TLS_CERT_FILE && !config.PUBLIC_TLS_KEY_FILE) return null
  if (!config.PUBLIC_TLS_CERT_FILE) throw new ConfigError('PUBLIC_TLS_CERT_FILE', 'must be set when PUBLIC_TLS_KEY_FILE is')
  if (!config.PUBLIC_TLS_KEY_FILE) throw new ConfigError('PUBLIC_TLS_KEY_FILE', 'must be set when PUBLIC_TLS_CERT_FILE is')
  const { cert, key } = readPair(config, 'PUBLIC_TLS_CERT_FILE', 'PUBLIC_TLS_KEY_FILE', null)
  return { cert, key }
}

// Options for Node's https server: only clients holding a certificate issued
// by the project CA complete the handshake (`ca` replaces the system roots
// for client verification).
export function mutualTlsServerOptions (tls: ServerTls) {
  return {
    key: tls.key,
    cert: tls.cert,
    ca: [tls.ca.pem],
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2' as const
  }
}

// The same decision again, per request, from the socket: a second lock in
// case the server is ever built with weaker options. Returns why a client is
// refused, or null.
export function clientCertificateProblem (socket: unknown, ca: X509Certificate, now = new Date()): string | null {
  const tls = socket as Partial<TLSSocket>
  if (typeof tls.getPeerX509Certificate !== 'function') return 'not a TLS connection'
  if (tls.authorized !== true) return 'no valid client certificate'
  const peer = tls.getPeerX509Certificate()
  if (!peer) return 'no client certificate'
  if (!issuedBy(peer, ca)) return 'client certificate not issued by the project CA'
  if (now < new Date(peer.validFrom) || now > new Date(peer.validTo)) return 'client certificate outside its validity period'
  return null
}

interface HookRequest { raw: { socket: unknown }, log: { warn: (object: object, message: string) => void } }
interface HookReply { code: (status: number) => { send: (body: unknown) => unknown } }

export function clientCertificateHook (ca: X509Certificate) {
  return async function requireClientCertificate (request: HookRequest, reply: HookReply) {
    const problem = clientCertificateProblem(request.raw.socket, ca)
    if (problem) {
      request.log.warn({ problem }, 'request refused: client certificate')
      return reply.code(401).send({ message: 'a client certificate issued by the project CA is required' })
    }
  }
}

function originOf (url: string | URL): string {
  return new URL(String(url)).origin
}

// A dispatcher that presents the client certificate and verifies servers
// against the project CA only; with `origins`, only those origins get that
// treatment and every other one (Logto, say) keeps the system roots.
export function createServiceDispatcher (tls: ClientTls, origins?: string[]): Dispatcher {
  const connect = { ca: [tls.ca.pem], cert: tls.cert, key: tls.key, rejectUnauthorized: true }
  if (!origins) return new Agent({ connect })
  const mutual = new Set(origins.filter(origin => origin.startsWith('https:')).map(originOf))
  return new Agent({
    factory: (origin, options) => mutual.has(originOf(origin))
      ? new Pool(origin, { ...options, connect })
      : new Pool(origin, options)
  })
}
