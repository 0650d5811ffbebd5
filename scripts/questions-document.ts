// The questions service's own OpenAPI document, read from the service started
// alone (a runtime of that one application, as `wattpm start` in its folder
// would run it) on a throw-away embedded PostgreSQL with the migrations.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { create } from '@platformatic/runtime'
import { startEmbeddedPostgres } from '../launcher/embedded-postgres.ts'
import { migrate } from '../lib/migrations.ts'
import { repositoryRoot, type Runtime } from '../launcher/system.ts'

export async function questionsDocument (databaseUrl?: string): Promise<{ paths?: Record<string, Record<string, unknown>> }> {
  let stop = async () => {}
  if (!databaseUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'playground-document-'))
    const db = await startEmbeddedPostgres({ dataDir })
    databaseUrl = db.url
    stop = async () => {
      await db.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  try {
    await migrate(databaseUrl)
    Object.assign(process.env, { DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' })
    const runtime = await create(join(repositoryRoot, 'services/questions'), 'platformatic.json', { start: true, setupSignals: false }) as unknown as Runtime
    try {
      // A lone application is wrapped in a runtime under the id 'main'.
      const response = await runtime.inject('main', { method: 'GET', url: '/documentation/json' })
      return JSON.parse(response.body)
    } finally {
      await runtime.close()
    }
  } finally {
    await stop()
  }
}
