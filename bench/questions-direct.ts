// The questions application alone, in a runtime of its own that listens on
// loopback: the "direct" side of the GET /questions comparison. Spawned by
// run.ts with DATABASE_URL and BENCH_DIRECT_PORT set; prints its URL, then
// runs until SIGTERM.
import { create } from '@platformatic/runtime'
import { fileURLToPath } from 'node:url'

interface Runtime { getUrl: () => string, close: () => Promise<void> }

const here = fileURLToPath(new URL('.', import.meta.url))
const runtime = await create(here, 'questions-direct.runtime.json', { start: true, setupSignals: false }) as unknown as Runtime
process.stdout.write(`DIRECT ${runtime.getUrl()}\n`)

process.on('SIGTERM', () => {
  runtime.close().then(() => process.exit(0), () => process.exit(1))
})
