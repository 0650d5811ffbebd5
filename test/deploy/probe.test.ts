// deploy/probe.ts, the image's HEALTHCHECK: exit 0 only for a 200 from
// this instance's gateway, on loopback at PORT. Checked against a local
// HTTP server standing in for the gateway.
import t from 'tap'
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { probe, probeUrl } from '../../deploy/probe.ts'
import { deployDir } from './manifests.ts'

const run = promisify(execFile)

async function startStandIn (t: { teardown: (fn: () => unknown) => void }): Promise<number> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/healthz') return response.end('{"status":"ok"}')
    if (request.url === '/readyz') return response.writeHead(503).end('{"status":"draining"}')
    if (request.url === '/slow') return // never answers
    response.writeHead(404).end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  t.teardown(() => server.closeAllConnections())
  return (server.address() as AddressInfo).port
}

async function exitCode (path: string, port: number): Promise<number> {
  try {
    await run(process.execPath, [join(deployDir, 'probe.ts'), path], { env: { PATH: process.env.PATH, PORT: String(port) } })
    return 0
  } catch (error) {
    return (error as { code: number }).code
  }
}

t.test('the URL is this instance\'s gateway', async t => {
  t.equal(probeUrl('/healthz', { PORT: '3100' }), 'http://127.0.0.1:3100/healthz')
  t.equal(probeUrl('/readyz', {}), 'http://127.0.0.1:3100/readyz', 'PORT defaults as in lib/config.ts')
  t.throws(() => probeUrl('healthz', {}), /must start with "\/"/)
})

t.test('200 is healthy; any other answer, silence or no server is not', async t => {
  const port = await startStandIn(t)
  t.equal(await probe(`http://127.0.0.1:${port}/healthz`), true, '200')
  t.equal(await probe(`http://127.0.0.1:${port}/readyz`), false, '503')
  t.equal(await probe(`http://127.0.0.1:${port}/other`), false, '404')
  t.equal(await probe(`http://127.0.0.1:${port}/slow`, 200), false, 'no answer within the time limit')
})

t.test('as a command, its exit code is the verdict', async t => {
  const port = await startStandIn(t)
  t.equal(await exitCode('/healthz', port), 0, 'exit 0 for /healthz')
  t.equal(await exitCode('/readyz', port), 1, 'exit 1 for a 503')
  const free = await new Promise<number>(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: unused } = server.address() as AddressInfo
      server.close(() => resolve(unused))
    })
  })
  t.equal(await exitCode('/healthz', free), 1, 'exit 1 when nothing listens')
})
