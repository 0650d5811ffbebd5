// Brings up what the runtime needs before it starts: PostgreSQL (the one given
// by DATABASE_URL, or an embedded one), Redis (REDIS_URL, a private
// redis-server, or none). Migrations are applied by the questions
// application's preload when the runtime starts.
import pg from 'pg'
import type { Config } from '../lib/config.ts'
import { ConfigError } from '../lib/config.ts'
import { startEmbeddedPostgres } from './embedded-postgres.ts'
import { findRedisServer, startRedisServer } from './redis-server.ts'

export interface BackingServices {
  databaseUrl: string
  redisUrl: string
  notes: string[]
  stop: () => Promise<void>
}

type Log = (line: string) => void

export function describeDatabase (url: string): string {
  const parsed = new URL(url)
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
}

export async function checkDatabase (url: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError('DATABASE_URL', `cannot connect to PostgreSQL at ${describeDatabase(url)}: ${reason || 'connection failed'}`)
  } finally {
    await client.end().catch(() => {})
  }
}

export async function startBackingServices (config: Config, log: Log): Promise<BackingServices> {
  const stops: (() => Promise<void>)[] = []
  const notes: string[] = []
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {})
  }

  try {
    let databaseUrl = config.DATABASE_URL
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR })
      stops.push(embedded.stop)
      databaseUrl = embedded.url
      notes.push(`PostgreSQL: embedded on 127.0.0.1:${embedded.port}, data in ${config.DATA_DIR}/postgres`)
    } else {
      notes.push(`PostgreSQL: ${describeDatabase(databaseUrl)}`)
    }
    await checkDatabase(databaseUrl)

    let redisUrl = config.REDIS_URL
    if (!redisUrl) {
      if (findRedisServer()) {
        const redis = await startRedisServer({ dataDir: config.DATA_DIR })
        stops.push(redis.stop)
        redisUrl = redis.url
        notes.push(`Redis: private redis-server on ${redis.url}`)
      } else {
        notes.push('Redis: none (redis-server is not on PATH); the runner caches in process, which suits a single process only')
        log('warning: redis-server is not on PATH and REDIS_URL is unset: results are cached in process, for a single process only')
      }
    } else {
      notes.push(`Redis: ${new URL(redisUrl).host}`)
    }

    return { databaseUrl, redisUrl, notes, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
