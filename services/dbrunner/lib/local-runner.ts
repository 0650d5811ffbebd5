// The runner in this process, for command-line tools (quality reports, bank
// imports): the same sandbox pool, limits and caching as the service, with
// an in-process cache, so a tool needs no running system.
import { ExecutionPool } from './execution-pool.ts'
import { createMemoryCache } from './result-cache.ts'
import { createRunDeps, type RunDeps } from './runs.ts'
import { sqlRuns, type RunSql } from './sql-runs.ts'

export interface LocalRunner {
  deps: RunDeps
  /** runs as background work: no budget, no owner of its own */
  runSql: RunSql
  close: () => Promise<void>
}

export function createLocalRunner (options: { poolSize?: number } = {}): LocalRunner {
  const pool = new ExecutionPool({ size: options.poolSize ?? 2, exemptFromBudget: () => true })
  const deps = createRunDeps({ cache: createMemoryCache(100_000), runner: pool })
  return { deps, runSql: sqlRuns(deps, 'background:tool'), close: () => pool.close() }
}
