// What the signed-in learner did, and the catalogue it is measured against.
// GET /me has totals only, so which questions are solved or attempted (for
// the list's marks and the counts by difficulty) is read from the learner's
// submissions, page by page; both are kept until something changes them
// (a compare, a sign-in).
import { api, type Question, type Submission } from './api.ts'

const pageSize = 100
// A learner with more submissions than this is shown what these cover.
const maxSubmissionPages = 30
const maxCataloguePages = 50

export interface Attempts {
  /** question ids with a correct submission */
  solved: Set<string>
  /** question ids with any submission */
  attempted: Set<string>
  /** every submission was read (false when there were more than the page reads) */
  complete: boolean
}

let attempts: Promise<Attempts> | null = null
let catalogue: Promise<Question[]> | null = null

async function readAttempts (): Promise<Attempts> {
  const result: Attempts = { solved: new Set(), attempted: new Set(), complete: false }
  for (let page = 0; page < maxSubmissionPages; page++) {
    const submissions: Submission[] = await api.mySubmissions(pageSize, page * pageSize)
    for (const submission of submissions) {
      result.attempted.add(submission.question_id)
      if (submission.same) result.solved.add(submission.question_id)
    }
    if (submissions.length < pageSize) {
      result.complete = true
      break
    }
  }
  return result
}

async function readCatalogue (): Promise<Question[]> {
  const questions: Question[] = []
  for (let page = 0; page < maxCataloguePages; page++) {
    const chunk = await api.questions(pageSize, page * pageSize)
    questions.push(...chunk)
    if (chunk.length < pageSize) break
  }
  return questions
}

// A failed load is not kept: the next call tries again.
function remembered<T> (load: () => Promise<T>, get: () => Promise<T> | null, set: (value: Promise<T> | null) => void): Promise<T> {
  const existing = get()
  if (existing) return existing
  const loading = load()
  set(loading)
  loading.catch(() => { if (get() === loading) set(null) })
  return loading
}

export function myAttempts (): Promise<Attempts> {
  return remembered(readAttempts, () => attempts, value => { attempts = value })
}

export function wholeCatalogue (): Promise<Question[]> {
  return remembered(readCatalogue, () => catalogue, value => { catalogue = value })
}

/** After a compare: the learner's marks may have changed. */
export function forgetAttempts (): void {
  attempts = null
}

/** After a sign-in or sign-out, or a teacher's change of the catalogue. */
export function forgetLearnerData (): void {
  attempts = null
  catalogue = null
}
