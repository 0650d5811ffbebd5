import { userHeader } from '../../../lib/identity-headers.ts'
import { HttpError } from '../../../lib/http-error.ts'
import { serviceFetch } from '../../../lib/service-fetch.ts'

// Reads questions and schemas from the questions service (through the
// runtime's mesh, or QUESTION_MANAGER_SERVICE_URL when standalone); the runner
// never reaches into its tables.
export interface QuestionForRun {
  id: string
  schemaId: string
  answer: string
}

export interface SchemaForRun {
  id: string
  initialSql: string
}

export interface HiddenDataset {
  id: string
  initialSql: string
}

export interface SubmissionRecord {
  userId: string
  questionId: string
  query: string
  same: boolean
  reason: string | null
}

export interface QuestionsClient {
  question: (id: string) => Promise<QuestionForRun | null>
  schema: (id: string) => Promise<SchemaForRun | null>
  datasets: (questionId: string) => Promise<HiddenDataset[]>
  recordSubmission: (submission: SubmissionRecord) => Promise<void>
}

// Questions and schemas are remembered for `ttlMs` (2 s by default): a burst
// of runs on one question costs one lookup, and a teacher's edit shows
// within seconds.
export function createQuestionsClient (baseUrl: string, fetchImpl: typeof fetch = serviceFetch, ttlMs = 2000): QuestionsClient {
  const recent = new Map<string, { at: number, value: Promise<unknown> }>()
  function remembered<T> (path: string): Promise<T | null> {
    const now = Date.now()
    const hit = recent.get(path)
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T | null>
    const value = fetchJson<T>(path)
    // Only what was found is remembered: a new question is visible at once.
    value.then(found => { if (found === null) recent.delete(path) }, () => recent.delete(path))
    recent.set(path, { at: now, value })
    if (recent.size > 5000) recent.delete(recent.keys().next().value as string)
    return value
  }
  async function fetchJson<T> (path: string): Promise<T | null> {
    let response: Response
    try {
      response = await fetchImpl(`${baseUrl}${path}`, { signal: AbortSignal.timeout(5000) })
    } catch {
      throw new HttpError(503, 'the questions service is not reachable; please try again')
    }
    if (response.status === 404) return null
    if (!response.ok) throw new HttpError(503, `the questions service answered ${response.status}; please try again`)
    return await response.json() as T
  }
  return {
    question: id => remembered<QuestionForRun>(`/crud/questions/${encodeURIComponent(id)}?fields=id,schemaId,answer`),
    schema: id => remembered<SchemaForRun>(`/crud/schemas/${encodeURIComponent(id)}?fields=id,initialSql`),
    datasets: async questionId => {
      // Not remembered: a dataset a teacher just attached counts at once.
      const rows = await fetchJson<{ id: string, initial_sql: string }[]>(`/internal/questions/${encodeURIComponent(questionId)}/datasets`)
      return (rows ?? []).map(row => ({ id: row.id, initialSql: row.initial_sql }))
    },
    recordSubmission: async submission => {
      let response: Response
      try {
        response = await fetchImpl(`${baseUrl}/internal/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [userHeader]: submission.userId },
          body: JSON.stringify({ question_id: submission.questionId, query: submission.query, same: submission.same, reason: submission.reason }),
          signal: AbortSignal.timeout(5000)
        })
      } catch {
        throw new HttpError(503, 'your answer was graded but could not be recorded; please compare again')
      }
      if (!response.ok) throw new HttpError(503, `your answer was graded but could not be recorded (${response.status}); please compare again`)
    }
  }
}
