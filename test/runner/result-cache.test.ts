import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { startRedisServer } from '../../launcher/redis-server.ts'
import { freePort } from '../../launcher/free-port.ts'
import { CacheUnavailableError, createMemoryCache, createRedisCache, ENTRY_TTL_SECONDS, outputHash } from '../../services/dbrunner/lib/result-cache.ts'

const quiet = { warn () {}, info () {} }
const result = { header: ['name'], rows: [['Alice'], [null]] }

async function waitFor (check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

t.test('runs and outputs round-trip through Redis, outputs stored once, TTL refreshed on read', async t => {
  const url = process.env.TEST_REDIS_URL
  if (!url) throw new Error('TEST_REDIS_URL is unset: run with npm test')
  const cache = createRedisCache(url, quiet)
  const admin = new Redis(url)
  t.teardown(async () => { await cache.close(); admin.disconnect() })
  await waitFor(() => cache.health().ok)

  const first = await cache.putOutput(result)
  const second = await cache.putOutput({ header: ['name'], rows: [['Alice'], [null]] })
  t.equal(first, second, 'identical outputs have one hash')
  t.equal(first, outputHash(result))
  t.equal(await admin.exists(`dbp:out:${first}`), 1, 'stored under that one key')

  const input = `test-${Date.now()}`
  await cache.putRun(input, { outputHash: first })
  t.same(await cache.getRun(input), { outputHash: first })
  t.same(await cache.getOutput(first), result, 'null stays null')
  t.equal(await cache.getRun('missing'), null)

  await admin.expire(`dbp:run:${input}`, 5)
  await admin.expire(`dbp:out:${first}`, 5)
  await cache.getRun(input)
  await cache.getOutput(first)
  t.ok(await admin.ttl(`dbp:run:${input}`) > ENTRY_TTL_SECONDS - 5, 'reading a run extends it to an hour again')
  t.ok(await admin.ttl(`dbp:out:${first}`) > ENTRY_TTL_SECONDS - 5, 'reading an output extends it too')
})

t.test('Redis going away gives a clear error at once, and the cache recovers by itself', async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cache-redis-'))
  const port = await freePort()
  let redis = await startRedisServer({ dataDir, port })
  const cache = createRedisCache(redis.url, quiet)
  t.teardown(async () => {
    await cache.close()
    await redis.stop()
    await rm(dataDir, { recursive: true, force: true })
  })
  await waitFor(() => cache.health().ok)
  await cache.putRun('k', { outputHash: 'h' })

  await redis.stop()
  await waitFor(() => !cache.health().ok)
  const started = Date.now()
  await t.rejects(cache.getRun('k'), CacheUnavailableError, 'a read fails with CacheUnavailableError')
  await t.rejects(cache.putRun('k2', {}), CacheUnavailableError, 'so does a write')
  t.ok(Date.now() - started < 3000, 'without hanging')
  t.match(cache.health(), { ok: false })

  redis = await startRedisServer({ dataDir, port })
  await waitFor(() => cache.health().ok)
  await cache.putRun('k3', { outputHash: 'x' })
  t.same(await cache.getRun('k3'), { outputHash: 'x' }, 'works again once Redis is back')
})

t.test('the in-process cache behaves the same and stays bounded', async t => {
  const cache = createMemoryCache(3)
  const hash = await cache.putOutput(result)
  t.same(await cache.getOutput(hash), result)
  for (const key of ['a', 'b', 'c', 'd']) await cache.putRun(key, { outputHash: key })
  t.equal(await cache.getRun('a'), null, 'the oldest entry went first')
  t.same(await cache.getRun('d'), { outputHash: 'd' })
  t.equal(cache.kind, 'memory')
})
