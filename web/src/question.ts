// One question: its text, its schema, the editor, the result of a run and
// the comparison with the reference answer.
import { ApiError, api, describeError, type Question } from './api.ts'
import type { Session } from './auth.ts'
import { h, plural, replaceChildren } from './dom.ts'
import { createSqlEditor } from './editor.ts'
import { forgetAttempts } from './learner-data.ts'
import { difficultyBadge } from './list.ts'
import { diagramButton } from './diagram-dialog.ts'
import { structureView } from './structure-view.ts'
import { resultTable, verdictView } from './verdict.ts'

const draftKey = (questionId: string) => `playground.draft.${questionId}`

// Question texts mark names with `backticks`; show those as code.
function richText (text: string): (string | HTMLElement)[] {
  return text.split(/(`[^`\n]+`)/).map(part => /^`[^`]+`$/.test(part) ? h('code', {}, part.slice(1, -1)) : part)
}

export async function renderQuestion (main: HTMLElement, questionId: string, session: Session, isCurrent: () => boolean): Promise<void> {
  replaceChildren(main, h('p', { class: 'muted', role: 'status' }, 'Loading the question…'))
  let question: Question
  try {
    question = await api.question(questionId)
  } catch (error) {
    if (!isCurrent()) return
    replaceChildren(main,
      h('nav', { class: 'crumbs' }, h('a', { href: '#/questions' }, '← All questions')),
      h('h1', { tabindex: '-1' }, 'Question unavailable'),
      h('p', { class: 'error', role: 'alert' }, describeError(error)))
    return
  }
  if (!isCurrent()) return

  const schemaBox = h('div', {}, h('p', { class: 'muted' }, 'Loading the schema…'))
  const runButton = h('button', { type: 'button', id: 'run', 'aria-keyshortcuts': 'Control+Enter Meta+Enter' }, 'Run')
  const compareButton = h('button', { type: 'button', id: 'compare', class: 'secondary', disabled: true }, 'Compare with the answer')
  const runStatus = h('span', { class: 'run-status muted', role: 'status' })
  const runError = h('div', { id: 'run-error', class: 'error', role: 'alert', hidden: true })
  const resultBox = h('section', { id: 'result', class: 'result', 'aria-labelledby': 'result-heading', hidden: true })
  const verdictBox = h('div', { id: 'verdict', 'aria-live': 'polite' })
  const solutionBox = h('p', { class: 'solution muted' })
  const editorHost = h('div', { class: 'editor' })

  replaceChildren(main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/questions' }, '← All questions')),
    h('div', { class: 'question-head' },
      h('h1', { tabindex: '-1' }, question.title),
      h('p', { class: 'meta' }, difficultyBadge(question.difficulty), h('span', { class: 'tag' }, question.type), h('span', { class: 'muted' }, `schema ${question.schema_id} · question ${question.id}`))),
    h('div', { class: 'workspace' },
      h('div', { class: 'work' },
        h('section', { class: 'card', 'aria-labelledby': 'task-heading' },
          h('h2', { id: 'task-heading' }, 'Task'),
          h('p', { class: 'description' }, question.description ? richText(question.description) : 'No description.'),
          solutionBox),
        h('section', { class: 'card', 'aria-labelledby': 'editor-heading' },
          h('h2', { id: 'editor-heading' }, 'Your query (SQLite)'),
          editorHost,
          h('div', { class: 'actions' }, runButton, compareButton, runStatus,
            h('span', { class: 'hint muted' }, h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Enter'), ' runs')),
          runError),
        resultBox,
        verdictBox),
      h('aside', { class: 'card schema', 'aria-labelledby': 'schema-heading' },
        h('h2', { id: 'schema-heading' }, 'Schema ', h('code', {}, question.schema_id)),
        schemaBox)))
  main.querySelector('h1')?.focus()

  let running = false
  // After a 429, until when the server refuses runs (epoch ms).
  let blockedUntil = 0
  let lastRun: { challengeId: string, header: string[] } | null = null

  const editor = createSqlEditor({
    parent: editorHost,
    doc: sessionStorage.getItem(draftKey(question.id)) ?? '',
    labelledBy: 'editor-heading',
    onRun: () => { void run() },
    onChange: text => { sessionStorage.setItem(draftKey(question.id), text) }
  })

  function showRunError (error: unknown) {
    runError.hidden = false
    const kind = error instanceof ApiError ? error.kind : 'page'
    runError.dataset.kind = kind
    const title = kind === 'sql' ? 'SQL error' : kind === 'timeout' ? 'Timeout' : 'Could not run the query'
    replaceChildren(runError, h('strong', {}, `${title}: `), describeError(error))
    if (error instanceof ApiError && error.kind === 'rate-limited' && error.retryAfter) {
      // No point in trying before the server allows it.
      blockedUntil = Date.now() + error.retryAfter * 1000
      setTimeout(() => { runButton.disabled = running }, error.retryAfter * 1000)
    }
  }

  async function run () {
    if (running || Date.now() < blockedUntil) return
    const query = editor.text()
    if (query.trim() === '') {
      runError.hidden = false
      replaceChildren(runError, h('strong', {}, 'Nothing to run: '), 'write a query in the editor first.')
      return
    }
    running = true
    editor.settle()
    runButton.disabled = true
    compareButton.disabled = true
    runError.hidden = true
    replaceChildren(verdictBox)
    runStatus.textContent = 'Running…'
    // The previous result stays, dimmed, until the new one replaces it.
    resultBox.setAttribute('aria-busy', 'true')
    const started = performance.now()
    try {
      const { challengeID } = await api.createChallenge(question.id, query)
      const result = await api.challenge(challengeID)
      const elapsed = Math.round(performance.now() - started)
      if (!isCurrent()) return
      lastRun = { challengeId: challengeID, header: result.header }
      runStatus.textContent = ''
      resultBox.hidden = false
      replaceChildren(resultBox,
        h('h2', { id: 'result-heading' }, 'Result'),
        h('p', { class: 'result-meta' },
          h('span', { class: 'row-count' }, plural(result.rows.length, 'row')),
          ' · ',
          h('span', { class: 'elapsed' }, `${elapsed} ms`)),
        result.header.length === 0
          ? h('p', { class: 'muted' }, 'The query ran; it returns no columns.')
          : resultTable(result))
      compareButton.disabled = false
    } catch (error) {
      if (!isCurrent()) return
      runStatus.textContent = ''
      lastRun = null
      resultBox.hidden = true
      showRunError(error)
    } finally {
      running = false
      resultBox.setAttribute('aria-busy', 'false')
      runButton.disabled = Date.now() < blockedUntil
    }
  }

  async function compare () {
    if (!lastRun) return
    compareButton.disabled = true
    runStatus.textContent = 'Comparing…'
    const run = lastRun
    try {
      const verdict = await api.compare(run.challengeId)
      // Every compare is a submission: the learner's marks may change.
      forgetAttempts()
      if (!isCurrent()) return
      replaceChildren(verdictBox, verdictView(verdict, run.header))
    } catch (error) {
      if (!isCurrent()) return
      replaceChildren(verdictBox, h('p', { class: 'error', role: 'alert' }, `Could not compare: ${describeError(error)}`))
    } finally {
      runStatus.textContent = ''
      compareButton.disabled = lastRun === null
    }
  }

  runButton.addEventListener('click', () => { void run() })
  compareButton.addEventListener('click', () => { void compare() })

  // Schema, structure and solution load side by side; each failure stays in its box.
  void (async () => {
    const [schema, structure] = await Promise.allSettled([api.schema(question.schema_id), api.structure(question.schema_id)])
    if (!isCurrent()) return
    const schemaError = schema.status === 'rejected' ? describeError(schema.reason) : null
    const structureError = structure.status === 'rejected' ? describeError(structure.reason) : null
    replaceChildren(schemaBox,
      schema.status === 'fulfilled' && h('p', { class: 'schema-description' }, richText(schema.value.description)),
      schemaError && h('p', { class: 'error' }, schemaError),
      structure.status === 'fulfilled' && [diagramButton(structure.value), structureView(structure.value)],
      // The same failure twice (e.g. a missing scope) is said once.
      structureError && structureError !== schemaError && h('p', { class: 'error' }, `Tables: ${structureError}`))
    if (structure.status === 'fulfilled') {
      editor.setSchema(Object.fromEntries(structure.value.tables.map(table => [table.name, table.columns.map(column => column.name)])))
    }
  })()

  if (session.scopes.includes('read:solution')) {
    // Opening a solution costs points the first time, so it waits for a click.
    const reveal = h('button', { type: 'button', class: 'secondary solution-reveal' }, 'Show the solution video')
    replaceChildren(solutionBox, reveal, ' (costs points the first time you open it)')
    reveal.addEventListener('click', () => {
      solutionBox.textContent = 'Looking for a solution video…'
      api.solution(question.id).then(solution => {
        if (!isCurrent()) return
        const link = solution.solution_video
        if (link && /^https?:\/\//.test(link)) {
          replaceChildren(solutionBox, h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'solution-link' }, '▶ Watch the solution video'), ' (opens in a new tab)')
        } else {
          solutionBox.textContent = 'No solution video for this question yet.'
        }
      }, error => {
        if (isCurrent()) solutionBox.textContent = `Solution video: ${describeError(error)}`
      })
    })
  } else {
    solutionBox.textContent = 'Solution videos need the read:solution scope, which your account does not have.'
  }
}
