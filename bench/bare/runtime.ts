// The bare floor the benchmark compares the project with: a Platformatic
// runtime of three trivial applications of the same kinds (a gateway over a
// db application and a one-route service), with the project's own health
// (memory) settings; or, with `direct`, the db application alone. Spawned by
// bench/system.ts with BARE_DATABASE_URL and BARE_PORT; prints its URL.
import { create } from '@platformatic/runtime'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

interface Runtime { getUrl: () => string, close: () => Promise<void> }

const here = fileURLToPath(new URL('.', import.meta.url))
const project = JSON.parse(readFileSync(new URL('../../platformatic.runtime.json', import.meta.url), 'utf8'))
const direct = process.argv.includes('direct')
const config = {
  $schema: 'https://schemas.platformatic.dev/@platformatic/runtime/3.54.0.json',
  entrypoint: direct ? 'db' : 'gateway',
  applications: direct
    ? [{ id: 'db', path: './db' }]
    : [{ id: 'db', path: './db' }, { id: 'service', path: './service' }, { id: 'gateway', path: './gateway' }],
  server: { hostname: '127.0.0.1', port: Number(process.env.BARE_PORT) },
  logger: { level: 'warn' as const },
  metrics: false,
  watch: false,
  health: project.health
}
const runtime = await create(here, config, { start: true, setupSignals: false }) as unknown as Runtime
process.stdout.write(`BARE ${runtime.getUrl()}\n`)
process.on('SIGTERM', () => {
  runtime.close().then(() => process.exit(0), () => process.exit(1))
})
