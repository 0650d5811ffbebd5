// Challenges: a student's query run on a question's schema, and its grading
// against the reference answer. The runner computes; this module decides
// what a run means (whose it is, whether it earns points). Pure
// orchestration over its ports, so it is tested without servers.
import { HttpError } from '../../../lib/http-error.ts'
import { count as countMetric, labelValue } from '../../../lib/metrics.ts'
import { withQuestion } from '../../../lib/tracing.ts'
import { decodeChallengeId, encodeChallengeId } from './challenge-id.ts'
import { ownerOf } from './current-user.ts'
import type { ChallengeStore, QuestionForRun } from './challenge-store.ts'
import type { SubmissionInput } from './progress.ts'
import { RunnerRefusal, type RunnerClient, type RunReply, type Verdict } from './runner-client.ts'

export interface ChallengeDeps {
  store: Pick<ChallengeStore, 'questionForRun' | 'datasets' | 'save' | 'find' | 'recentCompares'>
  /** most compares per user and question in any hour */
  comparesPerQuestionHour: number
  runner: Pick<RunnerClient, 'run' | 'grade'>
  recordSubmission: (submission: SubmissionInput) => Promise<unknown>
  /** makes sure the user's row exists (new users get their welcome points) and keeps their latest display name */
  ensureUser: (userId: string, displayName?: string | null) => Promise<void>
  log: { error: (obj: object, msg: string) => void }
}

export type QueryResult = NonNullable<RunReply['result']>

async function questionForRun (deps: ChallengeDeps, questionId: string): Promise<QuestionForRun> {
  const question = await deps.store.questionForRun(questionId)
  if (!question) throw new HttpError(404, `question ${questionId} does not exist`)
  return question
}

// The runner refused: the student's query fails (their answer: 422 with the
// engine's message), or the question's own SQL does (the teachers'
// problem: logged for them, never shown).
function refusal (deps: ChallengeDeps, error: unknown, questionId: string): unknown {
  if (!(error instanceof RunnerRefusal)) return error
  const { stage, message, dataset } = error.failure
  if (stage === 'query') return new HttpError(422, message)
  countMetric('referenceFailures', { stage: stage === 'schema' ? 'schema' : 'answer' })
  deps.log.error({ questionId, stage, dataset, engineMessage: message }, stage === 'schema'
    ? 'schema error: the initial SQL of a question\'s schema or dataset fails'
    : 'the reference answer of a question fails')
  return new HttpError(500, stage === 'schema'
    ? 'this question\'s schema does not build; the teachers have been told'
    : 'this question\'s reference answer does not run; the teachers have been told')
}

export async function createChallenge (deps: ChallengeDeps, input: { questionId: string, query: string, userId: string, displayName?: string | null }): Promise<string> {
  if (input.query.trim() === '') throw new HttpError(400, 'query: must not be empty')
  const question = await questionForRun(deps, input.questionId)
  const run = await withQuestion(input.questionId, 'run', () => deps.runner.run({ database: question.schemaSql, query: input.query, owner: ownerOf(input.userId) }))
    .catch(error => { throw refusal(deps, error, input.questionId) })
  await deps.ensureUser(input.userId, input.displayName)
  await deps.store.save({ userId: input.userId, questionId: input.questionId, inputHash: run.input_hash, query: input.query })
  return encodeChallengeId({ questionId: input.questionId, inputHash: run.input_hash })
}

// A challenge id can be shared: anyone may read its result.
async function liveChallenge (deps: ChallengeDeps, challengeId: string, userId: string | null) {
  const ref = decodeChallengeId(challengeId)
  if (!ref) throw new HttpError(400, 'the challenge id is malformed')
  const challenge = await deps.store.find(ref.questionId, ref.inputHash, userId)
  if (!challenge) throw new HttpError(404, 'the challenge does not exist or has expired (challenges last an hour); run the query again')
  return { ...ref, ...challenge }
}

export async function readChallenge (deps: ChallengeDeps, challengeId: string, userId: string | null): Promise<QueryResult> {
  const challenge = await liveChallenge(deps, challengeId, userId)
  const question = await questionForRun(deps, challenge.questionId)
  const run = await withQuestion(challenge.questionId, 'run', () => deps.runner.run({ database: question.schemaSql, query: challenge.query, owner: userId === null ? undefined : ownerOf(userId), result: true }))
    .catch(error => { throw refusal(deps, error, challenge.questionId) })
  return run.result ?? { header: [], rows: [] }
}

// Each compare tells at most one bit of the hidden datasets (pass or fail,
// whatever went wrong there), so a user's compares of one question are
// limited per hour: probing the hidden data costs what guessing costs.
async function withinCompareLimit (deps: ChallengeDeps, userId: string, questionId: string): Promise<void> {
  const { count, oldest } = await deps.store.recentCompares(userId, questionId)
  if (count < deps.comparesPerQuestionHour) return
  countMetric('rateLimited', { limit: 'compares_per_question' })
  const retryAfter = Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + 3600_000 - Date.now()) / 1000))
  throw new HttpError(429, `too many compares of this question: at most ${deps.comparesPerQuestionHour} an hour; try again in ${Math.ceil(retryAfter / 60)} min`, { headers: { 'retry-after': String(retryAfter) } })
}

// Only the user who ran a challenge can have it graded (and credited), with
// the text they wrote.
export async function compareChallenge (deps: ChallengeDeps, challengeId: string, userId: string): Promise<Verdict> {
  const challenge = await liveChallenge(deps, challengeId, userId)
  if (challenge.userId !== userId) throw new HttpError(404, 'this challenge was not created with your account: run the query yourself, then compare')
  await withinCompareLimit(deps, userId, challenge.questionId)
  const question = await questionForRun(deps, challenge.questionId)
  const datasets = await deps.store.datasets(challenge.questionId)
  const { output_hash: outputHash, ...verdict } = await withQuestion(challenge.questionId, 'grade', () => deps.runner.grade({
    database: question.schemaSql,
    datasets,
    answer: question.answer,
    query: challenge.query,
    owner: ownerOf(userId),
    settings: question.settings
  })).catch(error => { throw refusal(deps, error, challenge.questionId) })
  countMetric('compares', { verdict: verdict.same ? 'correct' : labelValue(verdict.reason ?? 'differs') })
  await deps.recordSubmission({
    userId,
    questionId: challenge.questionId,
    query: challenge.query,
    same: verdict.same,
    reason: verdict.reason ?? null,
    outputHash,
    expectedRow: verdict.expected_row,
    actualRow: verdict.actual_row
  })
  return verdict
}
