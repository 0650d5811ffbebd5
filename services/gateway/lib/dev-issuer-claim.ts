// Dev auth signs tokens with a key made by this process, so instances of one
// system (sharing a database and Redis) would refuse each other's tokens. The
// first instance claims dev auth in Redis for the system; another one that
// finds the claim held by a different key refuses to start.
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import { ConfigError } from '../../../lib/config.ts'

const CLAIM_TTL_SECONDS = 15

export async function claimDevIssuer (redisUrl: string, prefix: string, databaseUrl: string, kid: string): Promise<() => Promise<void>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true })
  const key = `${prefix}dev-issuer:${createHash('sha256').update(databaseUrl).digest('base64url')}`
  try {
    await redis.connect()
    const claimed = await redis.set(key, kid, 'EX', CLAIM_TTL_SECONDS, 'NX')
    const holder = claimed === 'OK' ? kid : await redis.get(key)
    if (holder !== null && holder !== kid) {
      throw new ConfigError('LOGTO_DOMAIN', 'dev auth cannot run as several instances: another instance of this system already issues dev tokens with its own key, ' +
        `and each would refuse the other's tokens. Set LOGTO_DOMAIN to use Logto, or run one instance with one gateway worker (GATEWAY_WORKERS=1; a stopped instance's claim ends within ${CLAIM_TTL_SECONDS} s).`)
    }
  } catch (error) {
    redis.disconnect()
    if (error instanceof ConfigError) throw error
    // Without Redis there is nothing to share, and so nothing to claim.
    return async () => {}
  }
  const renew = setInterval(() => { redis.set(key, kid, 'EX', CLAIM_TTL_SECONDS).catch(() => {}) }, CLAIM_TTL_SECONDS * 1000 / 3)
  renew.unref()
  return async () => {
    clearInterval(renew)
    // Only our own claim is released.
    if (await redis.get(key).catch(() => null) === kid) await redis.del(key).catch(() => {})
    redis.disconnect()
  }
}
