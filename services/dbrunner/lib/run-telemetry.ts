// What the runner tells operators: a span per SQL run (the question it is
// for, whether the cache answered, its outcome and duration) and the
// metrics of the sandbox pool (runs by outcome, their duration, the queue,
// the workers). Never the SQL, its result or the engine's message.
import { trace } from '@opentelemetry/api'
import { count, observe, readAtScrape } from '../../../lib/metrics.ts'
import { currentQuestion, inSpan } from '../../../lib/tracing.ts'
import type { ExecutionPool } from './execution-pool.ts'
import type { RunRecord } from './result-cache.ts'
import type { Runner } from './runs.ts'

/** ok, or the RunError code (query_error, timeout, limit, budget, busy, engine_fault, ...), or error. */
export function outcomeOf (error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[a-z_]{1,32}$/.test(code) ? code : 'error'
}

// Refusals never reached a worker: their time says nothing of SQL runs.
const refused = new Set(['budget', 'busy'])

/** The pool as runs.ts sees it, counting each run by outcome and timing it. */
export function measuredRunner (runner: Runner): Runner {
  return {
    run: async job => {
      const started = performance.now()
      let outcome = 'ok'
      try {
        return await runner.run(job)
      } catch (error) {
        outcome = outcomeOf(error)
        throw error
      } finally {
        count('sqlRuns', { outcome })
        if (!refused.has(outcome)) observe('sqlRunSeconds', (performance.now() - started) / 1000, { outcome })
      }
    }
  }
}

/** For the pool's onJobStart: how long the job waited for a worker. */
export function observeQueueWait (_owner: string, waitedMs: number): void {
  observe('runnerQueueWaitSeconds', waitedMs / 1000)
}

/** Reads the pool's queue, workers and restarts when Prometheus scrapes; returns what stops it. */
export function watchPool (pool: Pick<ExecutionPool, 'stats'>): () => void {
  const stops = [
    readAtScrape('runnerQueueLength', () => ({ '': pool.stats().queued })),
    readAtScrape('runnerWorkers', () => {
      const stats = pool.stats()
      return { 'state=started': stats.workers, 'state=busy': stats.busy }
    }),
    readAtScrape('runnerWorkerRestarts', () => ({ '': pool.stats().restarts }))
  ]
  return () => { for (const stop of stops) stop() }
}

export type CacheUse = 'hit' | 'miss' | 'bypass' | 'evicted'

/**
 * A SQL run in a span of its own. `cache` says how the cache took part
 * (runCached tells hit or miss with cacheLookup). The outcome comes from the
 * run's record (a failing query is a result too) or from what was thrown.
 */
export function sqlRunSpan<T> (cache: CacheUse | undefined, work: () => Promise<T>, recordOf: (result: T) => RunRecord | undefined = () => undefined): Promise<T> {
  const question = currentQuestion()
  return inSpan('sql run', {
    ...(question === undefined ? {} : { 'question.id': question }),
    ...(cache === undefined ? {} : { 'run.cache': cache })
  }, async span => {
    const started = performance.now()
    let outcome = 'ok'
    try {
      const result = await work()
      outcome = recordOf(result)?.error?.code ?? 'ok'
      return result
    } catch (error) {
      outcome = outcomeOf(error)
      throw error
    } finally {
      span?.setAttributes({ 'run.outcome': outcome, 'run.duration_ms': Math.round((performance.now() - started) * 1000) / 1000 })
    }
  })
}

/** Counts a cache lookup and notes it on the run's span. */
export function cacheLookup (hit: boolean): void {
  count('runCache', { result: hit ? 'hit' : 'miss' })
  trace.getActiveSpan()?.setAttribute('run.cache', hit ? 'hit' : 'miss')
}
