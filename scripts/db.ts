// `npm run db:migrate | db:seed | db:reset` against DATABASE_URL, or against
// the embedded PostgreSQL under DATA_DIR when it is unset.
import pg from 'pg'
import { ConfigError, loadConfig } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { migrate } from '../lib/migrations.ts'
import { loadSeeds } from '../lib/seed.ts'
import { toolDatabase } from '../launcher/database.ts'
import { repositoryRoot } from '../launcher/system.ts'

const say = (line: string) => process.stderr.write(`[db] ${line}\n`)
const command = process.argv[2]

async function main () {
  if (!['migrate', 'seed', 'reset'].includes(command ?? '')) {
    throw new Error('usage: node scripts/db.ts migrate|seed|reset')
  }
  applyDotEnv(repositoryRoot)
  const config = loadConfig()
  if (command === 'reset' && config.NODE_ENV === 'production') {
    throw new Error('db:reset refuses to run with NODE_ENV=production: it deletes every question and schema')
  }

  const { url, stop } = await toolDatabase(config, say)
  try {
    if (command === 'reset') {
      const down = await migrate(url, '0', say)
      say(`undid every migration (from version ${down.from})`)
    }
    const up = await migrate(url, 'max', say)
    say(up.applied.length ? `applied ${up.applied.join(', ')}; now at version ${up.to}` : `migrations up to date (version ${up.to})`)
    if (command !== 'migrate') {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        const loaded = await loadSeeds(client)
        say(`seeds: ${loaded.schemas} schemas and ${loaded.questions} questions added (existing rows kept)`)
      } finally {
        await client.end()
      }
    }
  } finally {
    await stop()
  }
}

main().catch(error => {
  say(error instanceof ConfigError ? `configuration error: ${error.message}` : `failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
