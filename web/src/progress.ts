// "My progress": the learner's points, what they solved and attempted by
// difficulty, their submissions with verdicts and reasons, and how their
// points changed.
import { api, describeError, type Me, type PointChange, type Question, type Submission } from './api.ts'
import type { Session } from './auth.ts'
import { formatTime, h, plural, replaceChildren } from './dom.ts'
import { myAttempts, wholeCatalogue, type Attempts } from './learner-data.ts'
import { difficulties, difficultyBadge } from './list.ts'
import { balanceChart } from './progress-chart.ts'

const historyPage = 20

function questionLink (questionId: string | null, titles: Map<string, string>): HTMLElement | string {
  if (questionId === null) return '—'
  const title = titles.get(questionId)
  return h('a', { href: `#/questions/${encodeURIComponent(questionId)}` }, title ?? `question ${questionId}`)
}

function summary (me: Me): HTMLElement {
  const stat = (label: string, value: number, id: string) => h('div', { class: 'stat card' }, h('span', { class: 'stat-value', id }, String(value)), h('span', { class: 'stat-label' }, label))
  return h('section', { class: 'stats', 'aria-label': 'Summary' },
    stat('points', me.points, 'my-points'), stat('questions solved', me.solved, 'my-solved'), stat('questions attempted', me.attempted, 'my-attempted'))
}

function byDifficulty (catalogue: Question[], attempts: Attempts): HTMLElement {
  const rows = difficulties.map(level => {
    const ids = catalogue.filter(question => question.difficulty === level).map(question => question.id)
    const solved = ids.filter(id => attempts.solved.has(id)).length
    const attempted = ids.filter(id => attempts.attempted.has(id)).length
    return h('tr', { 'data-difficulty': level },
      h('th', { scope: 'row' }, difficultyBadge(level)),
      h('td', { class: 'num-right solved' }, String(solved)),
      h('td', { class: 'num-right attempted' }, String(attempted)),
      h('td', { class: 'num-right' }, String(ids.length)),
      h('td', { class: 'bar-cell' }, h('progress', { max: Math.max(ids.length, 1), value: solved, 'aria-label': `${solved} of ${ids.length} ${level} questions solved` })))
  })
  return h('table', { class: 'questions by-difficulty' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Difficulty'), h('th', { scope: 'col' }, 'Solved'), h('th', { scope: 'col' }, 'Attempted'),
      h('th', { scope: 'col' }, 'Questions'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Share solved')))),
    h('tbody', {}, rows))
}

function verdictCell (submission: Submission): HTMLElement {
  return submission.same
    ? h('span', { class: 'status status-solved' }, '✓ correct')
    : h('span', { class: 'status status-wrong' }, `✗ ${submission.reason ?? 'not the same'}`)
}

// Older pages load on demand, in place.
function submissionHistory (titles: Map<string, string>): HTMLElement {
  const tbody = h('tbody', {})
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading your submissions…')
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Older submissions')
  let offset = 0
  async function load () {
    more.disabled = true
    try {
      const page = await api.mySubmissions(historyPage + 1, offset)
      for (const submission of page.slice(0, historyPage)) {
        tbody.append(h('tr', { 'data-submission': submission.id },
          h('td', { class: 'when' }, formatTime(submission.created_at)),
          h('td', {}, questionLink(submission.question_id, titles)),
          h('td', { class: 'verdict-cell' }, verdictCell(submission)),
          h('td', {}, h('details', { class: 'query-details' }, h('summary', {}, 'query'), h('pre', { class: 'sql-block' }, h('code', {}, submission.query))))))
      }
      offset += Math.min(page.length, historyPage)
      more.hidden = page.length <= historyPage
      status.textContent = offset === 0 ? 'No submissions yet: compare an answer with the reference to make one.' : `${plural(offset, 'submission')} shown, newest first.`
    } catch (error) {
      status.textContent = `Your submissions could not be loaded: ${describeError(error)}`
    } finally {
      more.disabled = false
    }
  }
  more.addEventListener('click', () => { void load() })
  void load()
  return h('div', {},
    h('div', { class: 'table-wrap history' }, h('table', { class: 'questions submissions' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Question'), h('th', { scope: 'col' }, 'Verdict'), h('th', { scope: 'col' }, 'Query'))),
      tbody)),
    status, more)
}

const pointReasons: Record<PointChange['reason'], string> = { welcome: 'Welcome points', solved: 'Solved', solution: 'Opened the solution of' }

async function pointsHistory (titles: Map<string, string>): Promise<HTMLElement> {
  // The ledger is short (a row per solve or opened solution): read it whole for the chart.
  const ledger: PointChange[] = []
  for (let page = 0; page < 20; page++) {
    const chunk = await api.myPoints(100, page * 100)
    ledger.push(...chunk)
    if (chunk.length < 100) break
  }
  const rows = ledger.slice(0, historyPage).map(change => h('tr', {},
    h('td', { class: 'when' }, formatTime(change.created_at)),
    h('td', { class: `num-right amount ${change.amount < 0 ? 'negative' : 'positive'}` }, `${change.amount > 0 ? '+' : ''}${change.amount}`),
    h('td', {}, pointReasons[change.reason], ' ', change.reason === 'welcome' ? '' : questionLink(change.question_id, titles))))
  return h('div', {},
    balanceChart(ledger),
    h('table', { class: 'questions points-history' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Change'), h('th', { scope: 'col' }, 'Why'))),
      h('tbody', {}, rows)),
    ledger.length > historyPage && h('p', { class: 'muted' }, `The latest ${historyPage} of ${ledger.length} changes.`))
}

export async function renderProgress (main: HTMLElement, _session: Session, isCurrent: () => boolean): Promise<void> {
  const summaryBox = h('div', {}, h('p', { class: 'muted', role: 'status' }, 'Loading your progress…'))
  const difficultyBox = h('div', {})
  const pointsBox = h('div', {}, h('p', { class: 'muted' }, 'Loading your points…'))
  const submissionsBox = h('div', {})
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'My progress'),
    summaryBox,
    h('div', { class: 'progress-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'by-difficulty-heading' }, h('h2', { id: 'by-difficulty-heading' }, 'By difficulty'), difficultyBox),
      h('section', { class: 'card', 'aria-labelledby': 'points-heading' }, h('h2', { id: 'points-heading' }, 'Points history'), pointsBox)),
    h('section', { class: 'card', 'aria-labelledby': 'submissions-heading' }, h('h2', { id: 'submissions-heading' }, 'Submissions'), submissionsBox))

  const [me, catalogue, attempts] = await Promise.allSettled([api.me(), wholeCatalogue(), myAttempts()])
  if (!isCurrent()) return
  replaceChildren(summaryBox, me.status === 'fulfilled' ? summary(me.value) : h('p', { class: 'error', role: 'alert' }, describeError(me.reason)))
  const titles = new Map(catalogue.status === 'fulfilled' ? catalogue.value.map(question => [question.id, question.title]) : [])
  if (catalogue.status === 'fulfilled' && attempts.status === 'fulfilled') {
    replaceChildren(difficultyBox, byDifficulty(catalogue.value, attempts.value),
      !attempts.value.complete && h('p', { class: 'muted' }, 'Counted over your latest 3,000 submissions.'))
  } else {
    const failed = catalogue.status === 'rejected' ? catalogue.reason : attempts.status === 'rejected' ? attempts.reason : null
    replaceChildren(difficultyBox, h('p', { class: 'error' }, describeError(failed)))
  }
  replaceChildren(submissionsBox, submissionHistory(titles))
  try {
    const history = await pointsHistory(titles)
    if (isCurrent()) replaceChildren(pointsBox, history)
  } catch (error) {
    if (isCurrent()) replaceChildren(pointsBox, h('p', { class: 'error' }, describeError(error)))
  }
}
