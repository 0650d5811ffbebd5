// lib/tls.ts on its own: the mutual-TLS server options refuse bad clients at
// the handshake, and the per-request check refuses them again even when the
// server is built with weaker options (no rejectUnauthorized, a second CA
// trusted at the TLS layer).
import t from 'tap'
import https from 'node:https'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { X509Certificate } from 'node:crypto'
import { loadConfig } from '../../lib/config.ts'
import { clientCertificateProblem, createServiceDispatcher, loadClientTls, loadServerTls, mutualTlsServerOptions } from '../../lib/tls.ts'
import { httpsAgent, makeCertificates, probe, tlsEnv } from './helpers.ts'

async function serve (t: { teardown: (fn: () => unknown) => void }, options: https.ServerOptions, ca: X509Certificate): Promise<string> {
  const server = https.createServer(options, (request, response) => {
    const problem = clientCertificateProblem(request.socket, ca)
    response.statusCode = problem ? 401 : 200
    response.end(problem ?? 'served')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => {
    server.closeAllConnections()
    server.close(resolve)
  }))
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

t.test('client certificates', async t => {
  const certs = await makeCertificates(t)
  const config = loadConfig(tlsEnv(certs))
  const tls = loadServerTls(config)
  const clients = {
    none: await httpsAgent(certs.ca.cert),
    otherCa: await httpsAgent(certs.ca.cert, certs.otherClient),
    expired: await httpsAgent(certs.ca.cert, certs.expiredClient),
    serverAsClient: await httpsAgent(certs.ca.cert, certs.serverAsClient),
    good: await httpsAgent(certs.ca.cert, certs.client)
  }
  t.teardown(async () => {
    for (const agent of Object.values(clients)) await agent.close()
  })

  t.test('the mutual-TLS options refuse at the handshake', async t => {
    const url = await serve(t, mutualTlsServerOptions(tls), tls.ca.x509)
    for (const name of ['none', 'otherCa', 'expired', 'serverAsClient'] as const) {
      const result = await probe(url, clients[name])
      t.ok(result.refused, `${name}: no TLS session (${result.refused ? result.reason : result.status})`)
    }
    t.match(await probe(url, clients.good), { refused: false, status: 200, body: 'served' })
  })

  t.test('the per-request check refuses what weaker TLS options let through', async t => {
    const weak = {
      ...mutualTlsServerOptions(tls),
      rejectUnauthorized: false,
      ca: [tls.ca.pem, readFileSync(certs.otherCa.cert, 'utf8')]
    }
    const url = await serve(t, weak, tls.ca.x509)
    t.match(await probe(url, clients.none), { refused: false, status: 401, body: /no valid client certificate/ })
    t.match(await probe(url, clients.otherCa), { refused: false, status: 401, body: 'client certificate not issued by the project CA' }, 'a second CA trusted by the TLS layer is still refused')
    t.match(await probe(url, clients.expired), { refused: false, status: 401 })
    t.match(await probe(url, clients.serverAsClient), { refused: false, status: 401 })
    t.match(await probe(url, clients.good), { refused: false, status: 200 })
  })

  t.test('the client dispatcher verifies the server against the project CA only', async t => {
    const url = await serve(t, mutualTlsServerOptions(tls), tls.ca.x509)
    const dispatcher = createServiceDispatcher(loadClientTls(config))
    t.teardown(() => dispatcher.close())
    t.match(await probe(url, dispatcher as never), { refused: false, status: 200 })

    // A server whose certificate comes from another CA is not trusted.
    const other = readFileSync(certs.otherClient.key, 'utf8')
    const impostor = await serve(t, { key: other, cert: readFileSync(certs.otherClient.cert, 'utf8') }, tls.ca.x509)
    const refused = await probe(impostor, dispatcher as never)
    t.ok(refused.refused, `a server certificate from another CA is refused (${refused.refused ? refused.reason : ''})`)

    // Routed: only the listed origins get the project CA and client certificate.
    const routed = createServiceDispatcher(loadClientTls(config), [url])
    t.teardown(() => routed.close())
    t.match(await probe(url, routed as never), { refused: false, status: 200 })
  })
})
