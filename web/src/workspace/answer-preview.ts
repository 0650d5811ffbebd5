// The live preview of a draft reference answer: run on the chosen schema
// (POST /schemas/{id}/preview) a moment after the typing stops, or at once
// with Ctrl/Cmd+Enter. Only the latest run's answer is shown.
import { ApiError, describeError, type QueryResult } from '../api.ts'
import { h, plural, replaceChildren } from '../dom.ts'
import { resultTable } from '../verdict.ts'
import { teacherApi } from './teacher-api.ts'

const settleMs = 800
const shownRows = 100

export interface AnswerPreview {
  element: HTMLElement
  /** the answer or schema changed: run again once the typing settles */
  changed: () => void
  /** run now */
  run: () => Promise<void>
  /** the column names of the last result shown */
  header: () => string[] | undefined
}

export function answerPreview (read: () => { schemaId: string, query: string }, isCurrent: () => boolean): AnswerPreview {
  const status = h('p', { class: 'muted preview-status', role: 'status' }, 'Write a reference answer to see its result here.')
  const body = h('div', { id: 'answer-preview-body' })
  const element = h('section', { class: 'card preview', id: 'answer-preview', 'aria-labelledby': 'preview-heading', 'aria-busy': 'false' },
    h('h2', { id: 'preview-heading' }, 'Result of the reference answer'),
    status, body)
  let timer: ReturnType<typeof setTimeout> | undefined
  let latest = 0
  let lastInput = ''
  let lastHeader: string[] | undefined

  function show (result: QueryResult, schemaId: string) {
    lastHeader = result.header
    const rows = result.rows.slice(0, shownRows)
    status.textContent = `On schema ${schemaId}: ${plural(result.rows.length, 'row')}${result.rows.length > shownRows ? `, the first ${shownRows} shown` : ''}.`
    replaceChildren(body, result.header.length === 0
      ? h('p', { class: 'error' }, 'The answer runs but gives no columns; a reference answer needs at least one.')
      : resultTable({ header: result.header, rows }, 'Preview of the reference answer'))
  }

  async function run () {
    clearTimeout(timer)
    const { schemaId, query } = read()
    if (query.trim() === '' || schemaId === '') {
      status.textContent = schemaId === '' ? 'Choose a schema to see the answer’s result.' : 'Write a reference answer to see its result here.'
      replaceChildren(body)
      lastInput = ''
      return
    }
    const input = `${schemaId}\n${query}`
    if (input === lastInput) return
    lastInput = input
    const mine = ++latest
    element.setAttribute('aria-busy', 'true')
    status.textContent = 'Running…'
    try {
      const result = await teacherApi.preview(schemaId, query)
      if (mine !== latest || !isCurrent()) return
      show(result, schemaId)
    } catch (error) {
      if (mine !== latest || !isCurrent()) return
      // A failed run is tried again on the next change, even to the same text.
      if (error instanceof ApiError && error.kind === 'rate-limited') lastInput = ''
      const engine = error instanceof ApiError && (error.kind === 'sql' || error.kind === 'timeout')
      status.textContent = engine ? 'The answer does not run:' : 'No preview:'
      replaceChildren(body, h('p', { class: 'error preview-error' }, engine ? (error as ApiError).message : describeError(error)))
    } finally {
      if (mine === latest) element.setAttribute('aria-busy', 'false')
    }
  }

  return {
    element,
    changed: () => {
      clearTimeout(timer)
      timer = setTimeout(() => { if (isCurrent()) void run() }, settleMs)
    },
    run: () => { lastInput = ''; return run() },
    header: () => lastHeader
  }
}
