// Applies the numbered do/undo migrations in migrations/. Uses the same
// bookkeeping table as Platformatic DB's autoApply, so both agree on the version.
import Postgrator from 'postgrator'
import pg from 'pg'
import { fileURLToPath } from 'node:url'

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url))
export const migrationsTable = 'versions'
const MIGRATION_LOCK = 7_351_000

export interface MigrationResult {
  from: number
  to: number
  applied: string[]
}

export async function migrate (databaseUrl: string, target = 'max', log: (line: string) => void = () => {}): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    // Serialises migrations from several processes starting at once.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    const postgrator = new Postgrator({
      migrationPattern: `${migrationsDir}/*`,
      driver: 'pg',
      database: client.database,
      schemaTable: migrationsTable,
      execQuery: (query: string) => client.query(query)
    })
    const applied: string[] = []
    postgrator.on('migration-started', (migration: { version: number, action: string }) => {
      log(`migration ${migration.version} ${migration.action}`)
    })
    postgrator.on('migration-finished', (migration: { filename: string }) => {
      applied.push(migration.filename.split('/').pop() ?? migration.filename)
    })
    const from = await postgrator.getDatabaseVersion()
    await postgrator.migrate(target)
    const to = await postgrator.getDatabaseVersion()
    return { from: from ?? 0, to: to ?? 0, applied }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end()
  }
}
