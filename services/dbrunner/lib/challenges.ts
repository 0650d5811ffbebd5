// Challenges: a student's query run on a question's schema, remembered by
// the hash of its input, and graded against the question's reference answer.
// Pure orchestration over three ports (questions, cache, runner), so it can be
// tested without servers.
import { createHash } from 'node:crypto'
import { HttpError } from '../../../lib/http-error.ts'
import { decodeChallengeId, encodeChallengeId } from './challenge-id.ts'
import { compareResults, hasOuterOrderBy, type Verdict } from './grading.ts'
import { normaliseQuery } from './normalise.ts'
import type { QuestionsClient } from './questions-client.ts'
import type { ResultCache, RunRecord } from './result-cache.ts'
import { RunError, SchemaError } from './run-errors.ts'
import { SingleFlight } from './single-flight.ts'
import type { QueryResult } from './sql-engine.ts'

export interface Runner {
  run: (job: { schemaKey: string, initialSql: string, query: string }) => Promise<QueryResult>
}

export interface ChallengeDeps {
  questions: QuestionsClient
  cache: ResultCache
  runner: Runner
  flights: SingleFlight<RunRecord>
  log: { error: (obj: object, msg: string) => void }
}


const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')

export function schemaKey (initialSql: string): string {
  return sha256(`schema\n${initialSql}`)
}

export function inputHash (scope: string, schema: string, normalisedQuery: string): string {
  return sha256(`run/v1\n${scope}\n${schema}\n${normalisedQuery}`)
}

export function createChallengeDeps (deps: Omit<ChallengeDeps, 'flights'>): ChallengeDeps {
  return { ...deps, flights: new SingleFlight<RunRecord>() }
}

// Runs `query` on the schema unless an identical run is cached or under way.
export async function runCached (deps: ChallengeDeps, scope: string, initialSql: string, query: string): Promise<{ inputHash: string, record: RunRecord }> {
  const key = schemaKey(initialSql)
  const hash = inputHash(scope, key, normaliseQuery(query))
  const cached = await deps.cache.getRun(hash)
  if (cached) return { inputHash: hash, record: cached }

  const record = await deps.flights.run(hash, async () => {
    let fresh: RunRecord
    try {
      const result = await deps.runner.run({ schemaKey: key, initialSql, query })
      fresh = { questionId: scope, query, outputHash: await deps.cache.putOutput(result) }
    } catch (error) {
      if (!(error instanceof RunError) || error.status !== 422) throw error
      fresh = { questionId: scope, query, error: { code: error.code, status: error.status, message: error.message } }
      // A timeout depends on the load of the moment as much as on the query:
      // it is not remembered.
      if (error.code === 'timeout') return fresh
    }
    await deps.cache.putRun(hash, fresh)
    return fresh
  })
  return { inputHash: hash, record }
}

async function questionAndSchema (deps: ChallengeDeps, questionId: string) {
  const question = await deps.questions.question(questionId)
  if (!question) throw new HttpError(404, `question ${questionId} does not exist`)
  const schema = await deps.questions.schema(question.schemaId)
  if (!schema) throw new HttpError(500, `the schema of question ${questionId} is missing`)
  return { question, schema }
}

function schemaFailure (deps: ChallengeDeps, error: unknown, questionId: string): never {
  if (error instanceof SchemaError) {
    // The question's own schema is broken: the teachers' problem, logged for them.
    deps.log.error({ questionId, engineMessage: error.message }, 'schema error: the initial SQL of a question\'s schema fails')
    throw new HttpError(500, 'this question\'s schema does not build; the teachers have been told')
  }
  throw error
}

// Who ran what: a challenge id can be shared, but only the user who created
// it can have it graded (and credited), with the text they wrote.
const ownerKey = (inputHash: string, userId: string) => `${inputHash}/user:${createHash('sha256').update(userId).digest('base64url')}`

export async function createChallenge (deps: ChallengeDeps, questionId: string, query: string, userId: string | null = null): Promise<string> {
  if (query.trim() === '') throw new HttpError(400, 'query: must not be empty')
  const { schema } = await questionAndSchema(deps, questionId)
  const { inputHash: hash, record } = await runCached(deps, questionId, schema.initialSql, query)
    .catch(error => schemaFailure(deps, error, questionId))
  if (record.error) throw new HttpError(record.error.status, record.error.message)
  if (userId) await deps.cache.putRun(ownerKey(hash, userId), { questionId, query })
  return encodeChallengeId({ questionId, inputHash: hash })
}

async function challengeRun (deps: ChallengeDeps, challengeId: string): Promise<{ questionId: string, inputHash: string, query: string, output: QueryResult }> {
  const ref = decodeChallengeId(challengeId)
  if (!ref) throw new HttpError(400, 'the challenge id is malformed')
  const record = await deps.cache.getRun(ref.inputHash)
  const output = record?.outputHash && record.questionId === ref.questionId ? await deps.cache.getOutput(record.outputHash) : null
  if (!record || !output) throw new HttpError(404, 'the challenge does not exist or has expired (challenges last an hour); run the query again')
  return { questionId: ref.questionId, inputHash: ref.inputHash, query: record.query ?? '', output }
}

export async function readChallenge (deps: ChallengeDeps, challengeId: string): Promise<QueryResult> {
  return (await challengeRun(deps, challengeId)).output
}

// The reference answer's result on one database; a failure is the teachers'
// problem, logged for them, and never a verdict.
async function expectedOutput (deps: ChallengeDeps, scope: string, questionId: string, initialSql: string, answer: string): Promise<QueryResult> {
  // Its own scope: a student's query spelled like the answer runs as the
  // student's, and no submission ever records the answer's text.
  const { record } = await runCached(deps, `answer:${scope}`, initialSql, answer).catch(error => schemaFailure(deps, error, questionId))
  const expected = record.outputHash ? await deps.cache.getOutput(record.outputHash) : null
  if (!expected) {
    deps.log.error({ questionId, database: scope, engineMessage: record.error?.message }, 'the reference answer of a question fails')
    throw new HttpError(500, 'this question\'s reference answer does not run; the teachers have been told')
  }
  return expected
}

// The student's query must also match on every hidden dataset; what differs
// there is not shown, only that it failed.
async function hiddenVerdict (deps: ChallengeDeps, questionId: string, query: string, answer: string, ordered: boolean): Promise<Verdict | null> {
  for (const dataset of await deps.questions.datasets(questionId)) {
    const scope = `${questionId}/dataset:${dataset.id}`
    const expected = await expectedOutput(deps, scope, questionId, dataset.initialSql, answer)
    const { record } = await runCached(deps, scope, dataset.initialSql, query).catch(error => schemaFailure(deps, error, questionId))
    const actual = record.outputHash ? await deps.cache.getOutput(record.outputHash) : null
    if (!actual || !compareResults(expected, actual, { ordered }).same) return { same: false, reason: 'fails on a hidden dataset' }
  }
  return null
}

export async function compareChallenge (deps: ChallengeDeps, challengeId: string, userId: string | null = null): Promise<Verdict> {
  const run = await challengeRun(deps, challengeId)
  const { questionId, output } = run
  let query = run.query
  if (userId) {
    const mine = await deps.cache.getRun(ownerKey(run.inputHash, userId))
    if (!mine || mine.questionId !== questionId) throw new HttpError(404, 'this challenge was not created with your account: run the query yourself, then compare')
    query = mine.query ?? query
  }
  const { question, schema } = await questionAndSchema(deps, questionId)
  const ordered = hasOuterOrderBy(question.answer)
  const expected = await expectedOutput(deps, questionId, questionId, schema.initialSql, question.answer)
  let verdict = compareResults(expected, output, { ordered })
  if (verdict.same) verdict = await hiddenVerdict(deps, questionId, query, question.answer, ordered) ?? verdict
  if (userId) {
    await deps.questions.recordSubmission({ userId, questionId, query, same: verdict.same, reason: verdict.reason ?? null })
  }
  return verdict
}

const structureQuery = `SELECT m.name, p.name, p.type, p.pk, p."notnull"
FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
ORDER BY m.name, p.cid`

export interface SchemaStructure {
  id: string
  tables: { name: string, columns: { name: string, type: string, primary_key: boolean, not_null: boolean }[] }[]
}

export async function structureOfSql (deps: ChallengeDeps, scope: string, initialSql: string): Promise<SchemaStructure['tables']> {
  const { record } = await runCached(deps, `structure:${scope}`, initialSql, structureQuery)
  const result = record.outputHash ? await deps.cache.getOutput(record.outputHash) : null
  if (!result) throw new HttpError(500, 'the structure of this schema could not be read')
  const tables = new Map<string, SchemaStructure['tables'][number]>()
  for (const [table, column, type, pk, notNull] of result.rows) {
    const name = String(table)
    if (!tables.has(name)) tables.set(name, { name, columns: [] })
    tables.get(name)!.columns.push({ name: String(column), type: type ?? '', primary_key: pk !== '0', not_null: notNull === '1' })
  }
  return [...tables.values()]
}

export async function schemaStructure (deps: ChallengeDeps, schemaId: string): Promise<SchemaStructure> {
  const schema = await deps.questions.schema(schemaId)
  if (!schema) throw new HttpError(404, `schema ${schemaId} does not exist`)
  try {
    return { id: schemaId, tables: await structureOfSql(deps, schemaId, schema.initialSql) }
  } catch (error) {
    if (error instanceof SchemaError) {
      deps.log.error({ schemaId, engineMessage: error.message }, 'schema error: the initial SQL of a schema fails')
      throw new HttpError(500, 'this schema does not build; the teachers have been told')
    }
    throw error
  }
}
