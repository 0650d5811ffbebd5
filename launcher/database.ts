// The database a command-line tool works on: DATABASE_URL, or the embedded
// PostgreSQL under DATA_DIR when it is unset; checked before use.
import type { Config } from '../lib/config.ts'
import { checkDatabase, describeDatabase } from './backing-services.ts'
import { startEmbeddedPostgres } from './embedded-postgres.ts'

export async function toolDatabase (config: Config, say: (line: string) => void): Promise<{ url: string, stop: () => Promise<void> }> {
  let url = config.DATABASE_URL
  let stop = async () => {}
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR })
    url = embedded.url
    stop = embedded.stop
    say(`using the embedded PostgreSQL in ${config.DATA_DIR}/postgres`)
  } else {
    say(`using ${describeDatabase(url)}`)
  }
  try {
    await checkDatabase(url)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}
