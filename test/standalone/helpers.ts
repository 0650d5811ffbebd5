// Certificates and HTTPS probes shared by the standalone suites.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent } from 'undici'
import { createCertificateAuthority, createDevCertificates, issueCertificate, type CertificateFiles, type DevCertificates } from '../../launcher/dev-certs.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface TestCertificates extends DevCertificates {
  dir: string
  otherCa: CertificateFiles
  otherClient: CertificateFiles
  expiredClient: CertificateFiles
  // Issued by the project CA, but for servers (no clientAuth usage).
  serverAsClient: CertificateFiles
}

export async function makeCertificates (t: Teardown): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'playground-certs-test-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const set = createDevCertificates({ dir })
  const otherDir = join(dir, 'other')
  const otherCa = createCertificateAuthority(otherDir, 'ca', 'Some other CA')
  const otherClient = issueCertificate({ ca: otherCa, dir: otherDir, name: 'client', commonName: 'playground-client', usage: 'client' })
  const expiredClient = issueCertificate({
    ca: set.ca,
    dir,
    name: 'expired',
    commonName: 'playground-client',
    usage: 'client',
    notBefore: new Date(Date.now() - 10 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000)
  })
  return { ...set, dir, otherCa, otherClient, expiredClient, serverAsClient: set.server }
}

export function tlsEnv (certs: TestCertificates): Record<string, string> {
  return {
    TLS_CA_CERT_FILE: certs.ca.cert,
    TLS_CERT_FILE: certs.server.cert,
    TLS_KEY_FILE: certs.server.key,
    CLIENT_TLS_CERT_FILE: certs.client.cert,
    CLIENT_TLS_KEY_FILE: certs.client.key
  }
}

// An HTTPS client that trusts the project CA and presents `client`, if any.
export async function httpsAgent (caFile: string, client?: CertificateFiles): Promise<Agent> {
  const connect: Record<string, unknown> = { ca: [await readFile(caFile, 'utf8')] }
  if (client) {
    connect.cert = await readFile(client.cert, 'utf8')
    connect.key = await readFile(client.key, 'utf8')
  }
  return new Agent({ connect, pipelining: 0 })
}

export type ProbeResult = { refused: true, reason: string } | { refused: false, status: number, body: string }

// One request; a TLS refusal (handshake alert, reset) is a result, not a failure.
export async function probe (url: string, agent: Agent | undefined, init: RequestInit = {}): Promise<ProbeResult> {
  try {
    const response = await fetch(url, { ...init, dispatcher: agent, signal: AbortSignal.timeout(10_000) } as RequestInit)
    return { refused: false, status: response.status, body: await response.text() }
  } catch (error) {
    const cause = (error as { cause?: { code?: string, message?: string } }).cause
    return { refused: true, reason: cause?.code ?? cause?.message ?? String(error) }
  }
}

// Nothing served: the connection failed, or a 401 that carries no data.
export function servedNothing (result: ProbeResult): boolean {
  return result.refused || (result.status === 401 && !/"id"|"header"|"rows"|schemaId/.test(result.body))
}
