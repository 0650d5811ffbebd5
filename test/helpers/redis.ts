import { randomBytes } from 'node:crypto'

/**
 * The test run's Redis, with a key prefix of this system's own: systems of
 * different suites share the server, never their keys (rate limits, results).
 */
export function testRedisEnv (): { REDIS_URL: string, REDIS_KEY_PREFIX: string } {
  return { REDIS_URL: process.env.TEST_REDIS_URL ?? '', REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:` }
}
