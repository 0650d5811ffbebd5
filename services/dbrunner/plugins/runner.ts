import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { installErrorHandler } from '../../../lib/error-handler.ts'
import { requireSharedStore } from '../../../lib/settings-plugin.ts'
import { ExecutionPool } from '../lib/execution-pool.ts'
import { createMemoryCache, createRedisCache } from '../lib/result-cache.ts'
import { createRunDeps, type RunDeps } from '../lib/runs.ts'
import { measuredRunner, observeQueueWait, watchPool } from '../lib/run-telemetry.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** cached runs on the sandbox pool */
    runs: RunDeps & { pool: ExecutionPool }
  }
}

// Wires the SQL runner: the sandbox pool and the result cache, from the one
// settings table.
async function runner (app: FastifyInstance) {
  const config = app.settings
  requireSharedStore(config, 'run results')
  const pool = new ExecutionPool({
    size: config.RUNNER_POOL_SIZE || undefined,
    minWorkers: config.RUNNER_MIN_WORKERS,
    idleMs: config.RUNNER_WORKER_IDLE_MS,
    maxWorkerWasmBytes: config.RUNNER_WORKER_MAX_WASM_MIB * 1024 * 1024,
    ownerConcurrency: config.RUNNER_USER_CONCURRENCY,
    ownerBudgetMs: config.RUNNER_USER_BUDGET_MS,
    // Analyses of questions for teachers (routes/quality.ts) go after
    // students' runs instead of being refused.
    exemptFromBudget: owner => owner.startsWith('background:'),
    timeoutMs: config.RUNNER_TIMEOUT_MS,
    onJobStart: observeQueueWait,
    limits: {
      maxRows: config.RUNNER_MAX_ROWS,
      maxResultBytes: config.RUNNER_MAX_RESULT_BYTES,
      maxQueryBytes: config.RUNNER_MAX_QUERY_BYTES,
      memoryBytes: config.RUNNER_MEMORY_MIB * 1024 * 1024
    }
  })
  let cache
  if (config.REDIS_URL) {
    cache = createRedisCache(config.REDIS_URL, app.log, config.REDIS_KEY_PREFIX)
  } else {
    app.log.warn('REDIS_URL is unset: results are cached in this process only, which suits a single process')
    cache = createMemoryCache()
  }
  app.decorate('runs', { ...createRunDeps({ cache, runner: measuredRunner(pool), cacheBytesPerOwnerHour: config.RUNNER_CACHE_MIB_PER_USER_HOUR * 1024 * 1024 }), pool })
  installErrorHandler(app)
  const unwatchPool = watchPool(pool)
  app.addHook('onClose', async () => {
    unwatchPool()
    await pool.close()
    await cache.close()
  })
}

export default fp(runner, { name: 'runner', dependencies: ['settings'] })
