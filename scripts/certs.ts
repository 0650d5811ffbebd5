// `npm run certs`: a development CA, a server certificate (questions and
// dbrunner; SAN localhost, 127.0.0.1, ::1 and --hosts) and a client
// certificate, in certs/ (git-ignored). Needs only openssl.
//
//   npm run certs [-- --hosts a.example,10.0.0.5] [--dir certs] [--force]
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { createDevCertificates, defaultHosts } from '../launcher/dev-certs.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

try {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '' },
      dir: { type: 'string', default: join(root, 'certs') },
      force: { type: 'boolean', default: false }
    }
  })
  const dir = resolve(root, values.dir)
  const hosts = values.hosts.split(',').map(host => host.trim()).filter(Boolean)
  const made = createDevCertificates({ dir, hosts, force: values.force })
  if (!made.created) {
    process.stderr.write(`${dir} already has a CA and certificates; kept them (--force makes new ones)\n`)
  } else {
    process.stderr.write([
      `created in ${dir}:`,
      '  ca.crt, ca.key          development CA (keep ca.key private; it signs everything below)',
      `  server.crt, server.key  questions and dbrunner; SAN ${[...defaultHosts, ...hosts].join(', ')}`,
      '  client.crt, client.key  what the gateway and services present to each other',
      'These are the defaults of TLS_CA_CERT_FILE, TLS_CERT_FILE, TLS_KEY_FILE, CLIENT_TLS_CERT_FILE, CLIENT_TLS_KEY_FILE.',
      ''
    ].join('\n'))
  }
} catch (error) {
  process.stderr.write(`certs: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
