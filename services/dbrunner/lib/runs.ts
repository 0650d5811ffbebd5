// Runs of SQL on a database built from SQL, remembered by the hash of their
// input: input hash -> output hash -> output. The runner knows nothing of
// questions or users; what a run means is the caller's business.
import { createHash } from 'node:crypto'
import { normaliseQuery } from './normalise.ts'
import { outputHash, type ResultCache, type RunRecord } from './result-cache.ts'
import { RunError } from './run-errors.ts'
import { cacheLookup, sqlRunSpan } from './run-telemetry.ts'
import { SingleFlight } from './single-flight.ts'
import type { QueryResult } from './sql-engine.ts'

export interface RunJob {
  schemaKey: string
  initialSql: string
  query: string
  /** whose share of the runner this run spends (fair scheduling) */
  owner?: string
}

export interface Runner {
  run: (job: RunJob) => Promise<QueryResult>
}

export interface RunDeps {
  cache: ResultCache
  runner: Runner
  flights: SingleFlight<{ record: RunRecord, output?: QueryResult }>
  /** bytes of output one owner may add to the cache per hour */
  cacheBytesPerOwnerHour: number
}

export interface RunInput {
  /** the SQL that creates and fills the database */
  database: string
  query: string
  owner?: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')

export function schemaKey (database: string): string {
  return sha256(`schema\n${database}`)
}

export function inputHash (schema: string, normalisedQuery: string): string {
  return sha256(`run/v2\n${schema}\n${normalisedQuery}`)
}

export function createRunDeps (deps: Omit<RunDeps, 'flights' | 'cacheBytesPerOwnerHour'> & { cacheBytesPerOwnerHour?: number }): RunDeps {
  return { cacheBytesPerOwnerHour: 64 * 1024 * 1024, ...deps, flights: new SingleFlight() }
}

/**
 * Runs `query` on the database unless an identical run is cached or under
 * way. A failure of the query itself (422) is a result too and is
 * remembered, except a timeout, which depends on the load of the moment as
 * much as on the query. A broken database (SchemaError) and runner faults
 * are thrown. A fresh output comes back with the record; it is cached only
 * while its owner's hourly share of the cache lasts, so no user can fill
 * the cache (and push out what others ran).
 */
export function runCached (deps: RunDeps, input: RunInput): Promise<{ inputHash: string, record: RunRecord, output?: QueryResult }> {
  return sqlRunSpan(undefined, () => runCachedUntraced(deps, input), run => run.record)
}

async function runCachedUntraced (deps: RunDeps, input: RunInput): Promise<{ inputHash: string, record: RunRecord, output?: QueryResult }> {
  const key = schemaKey(input.database)
  const hash = inputHash(key, normaliseQuery(input.query))
  const cached = await deps.cache.getRun(hash)
  cacheLookup(cached !== null)
  if (cached) return { inputHash: hash, record: cached }

  const fresh = await deps.flights.run(hash, async () => {
    let result: QueryResult
    try {
      result = await deps.runner.run({ schemaKey: key, initialSql: input.database, query: input.query, owner: input.owner })
    } catch (error) {
      if (!(error instanceof RunError) || error.status !== 422) throw error
      const record = { error: { code: error.code, status: error.status, message: error.message } }
      if (error.code !== 'timeout') await deps.cache.putRun(hash, record)
      return { record }
    }
    const bytes = Buffer.byteLength(JSON.stringify(result))
    if (!await deps.cache.chargeBytes(input.owner ?? 'anonymous', bytes, deps.cacheBytesPerOwnerHour)) {
      return { record: { outputHash: outputHash(result) }, output: result }
    }
    const record = { outputHash: await deps.cache.putOutput(result) }
    await deps.cache.putRun(hash, record)
    return { record, output: result }
  })
  return { inputHash: hash, ...fresh }
}

/**
 * Runs without the cache: a teacher's check must work while the cache is
 * away, and its result is used once. A failure is thrown (RunError).
 */
export async function runUncached (deps: RunDeps, input: RunInput): Promise<QueryResult> {
  return sqlRunSpan('bypass', () => deps.runner.run({ schemaKey: schemaKey(input.database), initialSql: input.database, query: input.query, owner: input.owner }))
}

/** The output of a run, or null when the run failed (its error says why). */
export async function runOutput (deps: RunDeps, input: RunInput): Promise<{ inputHash: string, record: RunRecord, output: QueryResult | null }> {
  const { inputHash: hash, record, output: fresh } = await runCached(deps, input)
  if (!record.outputHash) return { inputHash: hash, record, output: null }
  if (fresh) return { inputHash: hash, record, output: fresh }
  let output = await deps.cache.getOutput(record.outputHash)
  if (!output) {
    // The output was evicted while its run record was kept: run again.
    output = await sqlRunSpan('evicted', () => deps.runner.run({ schemaKey: schemaKey(input.database), initialSql: input.database, query: input.query, owner: input.owner }))
    if (await deps.cache.chargeBytes(input.owner ?? 'anonymous', Buffer.byteLength(JSON.stringify(output)), deps.cacheBytesPerOwnerHour)) {
      await deps.cache.putOutput(output)
    }
  }
  return { inputHash: hash, record, output }
}
