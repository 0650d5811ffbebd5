// Development certificates for standalone mode, made with the machine's
// openssl: a project CA, a server certificate (questions and dbrunner) and a
// client certificate (what each service presents when it calls another).
// Keys are EC P-256: quick to make on a small machine.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface CertificateFiles {
  cert: string
  key: string
}

export interface IssueOptions {
  ca: CertificateFiles
  dir: string
  name: string
  commonName: string
  usage: 'server' | 'client'
  hosts?: string[]
  notBefore?: Date
  notAfter?: Date
}

export const defaultHosts = ['localhost', '127.0.0.1', '::1']

function openssl (args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is not on PATH; install it (Debian: apt-get install openssl) to create certificates')
    throw new Error(`openssl ${args[0]} failed: ${stderr || (error as Error).message}`)
  }
}

function withWorkDir<T> (fn: (work: string) => T): T {
  const work = mkdtempSync(join(tmpdir(), 'playground-certs-'))
  try {
    return fn(work)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function keyFile (path: string): void {
  chmodSync(path, 0o600)
}

// openssl's GeneralizedTime: YYYYMMDDHHMMSSZ.
function asn1Time (date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z')
}

export function subjectAltNames (hosts: string[]): string {
  const unique = [...new Set(hosts.map(host => host.trim()).filter(Boolean))]
  return unique.map(host => {
    if (isIP(host)) return `IP:${host}`
    if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(host)) throw new Error(`"${host}" is not a host name or IP address`)
    return `DNS:${host}`
  }).join(', ')
}

const requestConfig = '[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = placeholder\n'

export function createCertificateAuthority (dir: string, name: string, commonName: string, days = 3650): CertificateFiles {
  mkdirSync(dir, { recursive: true })
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) }
  withWorkDir(work => {
    writeFileSync(join(work, 'req.cnf'), requestConfig +
      '[ ca_ext ]\nbasicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n')
    openssl(['req', '-x509', '-config', 'req.cnf', '-extensions', 'ca_ext', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-nodes', '-keyout', files.key, '-out', files.cert, '-subj', `/CN=${commonName}`, '-days', String(days), '-sha256'], work)
  })
  keyFile(files.key)
  return files
}

export function issueCertificate (options: IssueOptions): CertificateFiles {
  mkdirSync(options.dir, { recursive: true })
  const files = { cert: join(options.dir, `${options.name}.crt`), key: join(options.dir, `${options.name}.key`) }
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000)
  const notAfter = options.notAfter ?? new Date(Date.now() + 825 * 86_400_000)
  const extensions = [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature',
    `extendedKeyUsage = ${options.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid'
  ]
  if (options.usage === 'server') extensions.push(`subjectAltName = ${subjectAltNames(options.hosts ?? defaultHosts)}`)
  withWorkDir(work => {
    writeFileSync(join(work, 'req.cnf'), requestConfig)
    writeFileSync(join(work, 'ext.cnf'), `[ leaf ]\n${extensions.join('\n')}\n`)
    // `openssl ca` (not `x509 -req`) because it takes explicit start and end
    // dates, which the tests need for an expired certificate.
    writeFileSync(join(work, 'ca.cnf'), [
      '[ ca ]', 'default_ca = dev', '[ dev ]', 'database = index.txt', 'serial = serial', 'new_certs_dir = .', 'default_md = sha256',
      'policy = any', 'unique_subject = no', 'email_in_dn = no', 'copy_extensions = none', '[ any ]', 'commonName = supplied', ''
    ].join('\n'))
    writeFileSync(join(work, 'index.txt'), '')
    // A random positive serial: no two dev certificates share one.
    writeFileSync(join(work, 'serial'), `${(randomBytes(1)[0] & 0x7f).toString(16).padStart(2, '0')}${randomBytes(15).toString('hex')}\n`)
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', files.key], work)
    openssl(['req', '-new', '-config', 'req.cnf', '-key', files.key, '-subj', `/CN=${options.commonName}`, '-out', 'leaf.csr'], work)
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', options.ca.cert, '-keyfile', options.ca.key, '-in', 'leaf.csr', '-out', files.cert,
      '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-extfile', 'ext.cnf', '-extensions', 'leaf', '-notext'], work)
  })
  keyFile(files.key)
  return files
}

export const devCertificateNames = ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key']

export interface DevCertificates {
  ca: CertificateFiles
  server: CertificateFiles
  client: CertificateFiles
}

// The standard set in `dir`. An existing set is kept unless `force`, so a CA
// that clients already trust is not replaced by accident.
export function createDevCertificates (options: { dir: string, hosts?: string[], force?: boolean }): DevCertificates & { created: boolean } {
  const { dir } = options
  const set = {
    ca: { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') },
    server: { cert: join(dir, 'server.crt'), key: join(dir, 'server.key') },
    client: { cert: join(dir, 'client.crt'), key: join(dir, 'client.key') }
  }
  const present = devCertificateNames.filter(name => existsSync(join(dir, name)))
  if (present.length > 0 && !options.force) {
    if (present.length === devCertificateNames.length) return { ...set, created: false }
    const missing = devCertificateNames.filter(name => !present.includes(name))
    throw new Error(`${dir} has an incomplete set (missing ${missing.join(', ')}); run \`npm run certs -- --force\` to make a new one`)
  }
  const hosts = [...defaultHosts, ...(options.hosts ?? [])]
  subjectAltNames(hosts) // refuse a bad host before anything is written
  createCertificateAuthority(dir, 'ca', 'Database Playground development CA')
  issueCertificate({ ca: set.ca, dir, name: 'server', commonName: 'playground-service', usage: 'server', hosts })
  issueCertificate({ ca: set.ca, dir, name: 'client', commonName: 'playground-client', usage: 'client' })
  return { ...set, created: true }
}
