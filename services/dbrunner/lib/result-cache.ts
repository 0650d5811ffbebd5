// Run results, content-addressed: input hash -> { question, output hash },
// output hash -> output. Identical outputs are stored once, and "same result"
// can be a comparison of output hashes. Entries live one hour and every read
// extends them. Redis (ioredis) when REDIS_URL is set, otherwise an in-process
// map that suits a single process only.
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import { HttpError } from '../../../lib/http-error.ts'
import type { QueryResult } from './sql-engine.ts'

export const ENTRY_TTL_SECONDS = 3600

export interface RunRecord {
  outputHash?: string
  // A failed run is remembered too, so a query that times out is not re-run
  // by every click.
  error?: { code: string, status: number, message: string }
}

export class CacheUnavailableError extends HttpError {
  constructor () {
    super(503, 'the result cache is unavailable; please try again shortly')
    this.name = 'CacheUnavailableError'
  }
}

export interface ResultCache {
  readonly kind: 'redis' | 'memory'
  getRun: (inputHash: string) => Promise<RunRecord | null>
  putRun: (inputHash: string, record: RunRecord, ttlSeconds?: number) => Promise<void>
  getOutput: (outputHash: string) => Promise<QueryResult | null>
  putOutput: (result: QueryResult) => Promise<string>
  /**
   * Counts `bytes` against what `owner` may add to the cache this hour;
   * false (and nothing counted) once that would pass `limit`.
   */
  chargeBytes: (owner: string, bytes: number, limit: number) => Promise<boolean>
  health: () => { ok: boolean, detail: string }
  close: () => Promise<void>
}

export function outputHash (result: QueryResult): string {
  return createHash('sha256').update(JSON.stringify([result.header, result.rows])).digest('base64url')
}

/** The keys of one system's entries, under its prefix (REDIS_KEY_PREFIX). */
function cacheKeys (prefix: string) {
  return {
    run: (hash: string) => `${prefix}run:${hash}`,
    output: (hash: string) => `${prefix}out:${hash}`,
    // Per owner and clock hour; the owner's name is hashed (it may be long).
    bytes: (owner: string) => `${prefix}bytes:${createHash('sha256').update(owner).digest('base64url')}:${Math.floor(Date.now() / 3_600_000)}`
  }
}

export function createRedisCache (url: string, log: { warn: (obj: object, msg: string) => void, info: (msg: string) => void }, prefix = 'dbp:'): ResultCache {
  const { run: runKey, output: outputKey, bytes: bytesKey } = cacheKeys(prefix)
  const redis = new Redis(url, {
    // Fail fast while Redis is away: requests get a 503 instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 2000,
    retryStrategy: attempt => Math.min(attempt * 200, 2000),
    lazyConnect: false
  })
  let lastError = ''
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) log.warn({ err: { message: error.message } }, 'Redis error; cached results are unavailable until it is back')
    lastError = error.message
  })
  redis.on('ready', () => {
    if (lastError) log.info('Redis is back')
    lastError = ''
  })

  async function guarded<T> (fn: () => Promise<T>): Promise<T> {
    if (redis.status !== 'ready') throw new CacheUnavailableError()
    try {
      return await fn()
    } catch {
      throw new CacheUnavailableError()
    }
  }

  return {
    kind: 'redis',
    getRun: hash => guarded(async () => {
      const raw = await redis.getex(runKey(hash), 'EX', ENTRY_TTL_SECONDS)
      return raw ? JSON.parse(raw) as RunRecord : null
    }),
    putRun: (hash, record, ttl = ENTRY_TTL_SECONDS) => guarded(async () => {
      await redis.set(runKey(hash), JSON.stringify(record), 'EX', ttl)
    }),
    getOutput: hash => guarded(async () => {
      const raw = await redis.getex(outputKey(hash), 'EX', ENTRY_TTL_SECONDS)
      return raw ? JSON.parse(raw) as QueryResult : null
    }),
    putOutput: result => guarded(async () => {
      const hash = outputHash(result)
      await redis.set(outputKey(hash), JSON.stringify(result), 'EX', ENTRY_TTL_SECONDS)
      return hash
    }),
    chargeBytes: (owner, bytes, limit) => guarded(async () => {
      const key = bytesKey(owner)
      const [[, total]] = await redis.multi().incrby(key, bytes).expire(key, 3600).exec() as [[Error | null, number]]
      if (total <= limit) return true
      await redis.decrby(key, bytes)
      return false
    }),
    health: () => redis.status === 'ready'
      ? { ok: true, detail: 'redis' }
      : { ok: false, detail: `redis ${redis.status}` },
    close: async () => {
      redis.disconnect()
    }
  }
}

interface MemoryEntry { value: string, expires: number }

// Bounded, least recently used first out.
export function createMemoryCache (maxEntries = 10_000): ResultCache {
  const { run: runKey, output: outputKey, bytes: bytesKey } = cacheKeys('')
  const entries = new Map<string, MemoryEntry>()
  function get (key: string): string | null {
    const entry = entries.get(key)
    if (!entry) return null
    if (entry.expires < Date.now()) {
      entries.delete(key)
      return null
    }
    entries.delete(key)
    entry.expires = Date.now() + ENTRY_TTL_SECONDS * 1000
    entries.set(key, entry)
    return entry.value
  }
  function set (key: string, value: string, ttlSeconds: number) {
    entries.delete(key)
    entries.set(key, { value, expires: Date.now() + ttlSeconds * 1000 })
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string)
  }
  const charged = new Map<string, number>()
  return {
    kind: 'memory',
    getRun: async hash => {
      const raw = get(runKey(hash))
      return raw ? JSON.parse(raw) as RunRecord : null
    },
    putRun: async (hash, record, ttl = ENTRY_TTL_SECONDS) => set(runKey(hash), JSON.stringify(record), ttl),
    getOutput: async hash => {
      const raw = get(outputKey(hash))
      return raw ? JSON.parse(raw) as QueryResult : null
    },
    putOutput: async result => {
      const hash = outputHash(result)
      set(outputKey(hash), JSON.stringify(result), ENTRY_TTL_SECONDS)
      return hash
    },
    chargeBytes: async (owner, bytes, limit) => {
      const key = bytesKey(owner)
      const total = (charged.get(key) ?? 0) + bytes
      if (total > limit) return false
      if (!charged.has(key) && charged.size > 10_000) charged.clear()
      charged.set(key, total)
      return true
    },
    health: () => ({ ok: true, detail: 'in-process cache (single process only)' }),
    close: async () => { entries.clear() }
  }
}
