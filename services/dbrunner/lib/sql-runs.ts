// SQL runs as the analysis modules see them (quality report, generated
// datasets, counterexamples): a query on a database gives its result or why
// it failed. Backed by the cached runs, so the second report of a question
// costs what reading the cache costs.
import { normaliseQuery } from './normalise.ts'
import { CacheUnavailableError, type RunRecord } from './result-cache.ts'
import { RunError, SchemaError } from './run-errors.ts'
import { inputHash, runOutput, runUncached, schemaKey, type RunDeps } from './runs.ts'
import type { QueryResult } from './sql-engine.ts'

import type { RunSql, SameResult } from './sql-literals.ts'

export type { RunSql, SameResult }

// Timeouts are not cached as results (they depend on the load of the
// moment), but an analysis meets the same runaway mutant every time: it is
// remembered here for an hour, in this process.
const timeouts = new Map<string, { message: string, at: number }>()
const TIMEOUT_MEMORY_MS = 3600_000

function rememberTimeout (hash: string, message: string): void {
  if (timeouts.size >= 5000) timeouts.delete(timeouts.keys().next().value!)
  timeouts.set(hash, { message, at: Date.now() })
}

/** Runs for analyses, spending `owner`'s share of the runner. */
export function sqlRuns (deps: RunDeps, owner: string): RunSql {
  return async (database, query) => {
    const hash = inputHash(schemaKey(database), normaliseQuery(query))
    const known = timeouts.get(hash)
    if (known && Date.now() - known.at < TIMEOUT_MEMORY_MS) return { error: known.message }
    try {
      const { record, output } = await runOutput(deps, { database, query, owner }).catch(async error => {
        // Without the cache an analysis still works, only slower.
        if (!(error instanceof CacheUnavailableError)) throw error
        return { record: {} as RunRecord, output: await runUncached(deps, { database, query, owner }) }
      })
      if (output) return output
      if (record.error?.code === 'timeout') rememberTimeout(hash, record.error.message)
      return { error: record.error?.message ?? 'the query does not run' }
    } catch (error) {
      // The query fails as SQL, or the database does not build: a failure
      // like any other to an analysis. Runner faults and refusals are thrown.
      if (error instanceof SchemaError || (error instanceof RunError && error.status === 422)) {
        if (error instanceof RunError && error.code === 'timeout') rememberTimeout(hash, error.message)
        return { error: error.message }
      }
      throw error
    }
  }
}
