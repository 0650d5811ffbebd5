// haproxy (Debian's package) in front of the instances of a cluster test,
// as a load balancer in production would be: health checks on /readyz, and a
// request whose connection is refused is sent to another instance.
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stopChild } from '../../launcher/child-process.ts'
import { freePort } from '../../launcher/free-port.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export async function startHaproxy (t: Teardown, options: { dir: string, servers: { name: string, port: number }[] }): Promise<{ url: string }> {
  const binary = process.env.TEST_HAPROXY_BINARY
  if (!binary) throw new Error('TEST_HAPROXY_BINARY is unset: run the cluster tests with `npm test`, which installs haproxy when it is missing')
  const port = await freePort()
  const config = join(options.dir, 'haproxy.cfg')
  await writeFile(config, [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 3',
    '  option redispatch',
    // A request that meets a connection the dead instance left behind is
    // sent again, elsewhere.
    '  retry-on conn-failure empty-response',
    '  option httpchk GET /readyz',
    '  default-server inter 250ms fall 1 rise 2',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    ...options.servers.map(server => `  server ${server.name} 127.0.0.1:${server.port} check`),
    ''
  ].join('\n'))
  const child = spawn(binary, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', chunk => { output += chunk })
  child.stderr.on('data', chunk => { output += chunk })
  t.teardown(() => stopChild(child))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  while (true) {
    try {
      const response = await fetch(`${url}/healthz`)
      await response.body?.cancel()
      if (response.ok) return { url }
    } catch {}
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`)
    if (Date.now() > deadline) throw new Error(`haproxy does not answer: ${output}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}
