// The typed client of the SQL runner. The runner is pure compute: every call
// carries the SQL it works on, and the runner never calls back. Types come
// from the runner's own route schemas.
import type { FromSchema } from 'json-schema-to-ts'
import type { checkBody, generateBody, generatedDatasetsSchema, gradeBody, gradeReply, qualityReportSchema, questionSqlBody, runBody, runFailureSchema, runReply, structureReply, verdictSchema } from '../../dbrunner/lib/api-schemas.ts'
import { HttpError } from '../../../lib/http-error.ts'
import { serviceFetch } from '../../../lib/service-fetch.ts'

// What a caller sends: properties with a default may be left out.
type Request<S> = FromSchema<S & object, { keepDefaultedPropertiesOptional: true }>

export type RunRequest = Request<typeof runBody>
export type RunReply = FromSchema<typeof runReply>
export type GradeRequest = Request<typeof gradeBody>
export type Verdict = FromSchema<typeof verdictSchema>
export type GradeReply = FromSchema<typeof gradeReply>
export type CheckRequest = Request<typeof checkBody>
export type Tables = FromSchema<typeof structureReply>['tables']
export type RunFailureBody = FromSchema<typeof runFailureSchema>
export type QuestionSql = Request<typeof questionSqlBody>
export type QualityReport = FromSchema<typeof qualityReportSchema>
export type GeneratedDatasets = FromSchema<typeof generatedDatasetsSchema>['datasets']

/** The runner could not do the work: `stage` says whose SQL fails. */
export class RunnerRefusal extends Error {
  failure: RunFailureBody

  constructor (failure: RunFailureBody) {
    super(failure.message)
    this.name = 'RunnerRefusal'
    this.failure = failure
  }
}

export interface RunnerClient {
  run: (request: RunRequest) => Promise<RunReply>
  grade: (request: GradeRequest) => Promise<GradeReply>
  check: (request: CheckRequest) => Promise<void>
  structure: (database: string, owner?: string) => Promise<Tables>
  quality: (question: QuestionSql) => Promise<QualityReport>
  generateDatasets: (request: Request<typeof generateBody>) => Promise<GeneratedDatasets>
  health: () => Promise<RunnerHealth>
}

export interface RunnerHealth {
  runner: 'ok' | 'unavailable'
  cache: 'ok' | 'unavailable'
}

export function createRunnerClient (baseUrl: string, fetchImpl: typeof fetch = serviceFetch): RunnerClient {
  async function post<T> (path: string, body: object, timeoutMs = 15_000): Promise<T> {
    let response: Response
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs)
      })
    } catch {
      throw new HttpError(503, 'the SQL runner is not reachable; please try again')
    }
    if (response.status === 204) return undefined as T
    const answer = await response.json().catch(() => ({})) as { message?: string }
    if (response.ok) return answer as T
    if (response.status === 422) throw new RunnerRefusal(answer as RunFailureBody)
    // Busy, over a user's budget, rate limited: the runner's own words.
    if (response.status === 429 || response.status === 503) {
      const retryAfter = response.headers.get('retry-after')
      throw new HttpError(response.status, answer.message ?? 'the SQL runner is busy; please try again', retryAfter ? { headers: { 'retry-after': retryAfter } } : undefined)
    }
    throw new HttpError(503, `the SQL runner answered ${response.status}; please try again`)
  }

  return {
    run: request => post<RunReply>('/runs', request),
    grade: request => post<GradeReply>('/grades', request, 60_000),
    check: request => post<void>('/checks', request),
    structure: async (database, owner) => (await post<{ tables: Tables }>('/structures', { database, owner })).tables,
    quality: question => post<QualityReport>('/quality', question, 60_000),
    generateDatasets: async question => (await post<{ datasets: GeneratedDatasets }>('/datasets/generate', question, 60_000)).datasets,
    health: async () => {
      try {
        const response = await fetchImpl(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) })
        const body = await response.json().catch(() => ({})) as { cache?: string }
        return { runner: response.ok ? 'ok' : 'unavailable', cache: response.ok && body.cache === 'ok' ? 'ok' : 'unavailable' }
      } catch {
        return { runner: 'unavailable', cache: 'unavailable' }
      }
    }
  }
}
