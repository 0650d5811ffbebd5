// What the teacher learns about a question: its quality report (is the
// answer deterministic; how many plausible wrong answers its data tells
// apart, and which survive), how students do (statistics), and the wrong
// answers they give, grouped (mistake clusters).
import { describeError } from '../api.ts'
import { h, plural, replaceChildren } from '../dom.ts'
import { rowTable } from '../verdict.ts'
import { teacherApi, type EquivalentMutant, type MistakeCluster, type QualityReport, type Statistics } from './teacher-api.ts'

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`

/** Changes the question's list of mutants judged equivalent; the report after the change is shown. */
export type Judge = (change: (judged: EquivalentMutant[]) => EquivalentMutant[]) => Promise<void>

const sameQuery = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim()

/** A button that runs `action`, with its error shown beside it. */
function judgeForm (label: string, action: (form: HTMLFormElement) => Promise<void>, ...fields: HTMLElement[]): HTMLFormElement {
  const problem = h('span', { class: 'error', role: 'alert' })
  const button = h('button', { type: 'submit', class: 'secondary small' }, label)
  const form = h('form', {
    class: 'judge',
    onsubmit: (event: Event) => {
      event.preventDefault()
      button.disabled = true
      problem.textContent = ''
      action(form).catch(error => { problem.textContent = describeError(error) }).finally(() => { button.disabled = false })
    }
  }, ...fields, button, problem)
  return form
}

function survivorItem (survivor: QualityReport['survivors'][number], judge?: Judge): HTMLElement {
  const reason = h('input', { name: 'reason', required: true, maxlength: 500, placeholder: 'why no data can tell it apart', 'aria-label': 'Why it is equivalent' })
  return h('li', {}, h('span', { class: 'tag' }, survivor.operator), ' ', h('code', {}, survivor.query),
    judge && judgeForm('Mark equivalent', () => judge(judged => [...judged.filter(mutant => !sameQuery(mutant.query, survivor.query)), { query: survivor.query, reason: reason.value.trim() }]), reason))
}

function equivalentItem (mutant: QualityReport['equivalent'][number], judge?: Judge): HTMLElement {
  return h('li', {}, h('span', { class: 'tag' }, mutant.operator), ' ', h('code', {}, mutant.query), h('p', { class: 'muted' }, `Equivalent: ${mutant.reason}`),
    judge && judgeForm('Not equivalent', () => judge(judged => judged.filter(other => !sameQuery(other.query, mutant.query)))))
}

export function qualityView (report: QualityReport, judge?: Judge): HTMLElement {
  const { mutants } = report
  return h('div', { class: 'quality' },
    h('p', { class: report.deterministic ? 'quality-ok' : 'error' },
      report.deterministic ? '✓ The answer is deterministic: the same result whatever order the rows are stored in.' : '✗ The answer is not deterministic.'),
    report.warnings.length > 0 && h('ul', { class: 'warnings' }, report.warnings.map(warning => h('li', {}, warning))),
    h('div', { class: 'score' },
      h('span', { class: 'score-label' }, 'Mutation score '),
      h('strong', { id: 'mutation-score' }, percent(mutants.score)),
      h('meter', { min: 0, max: 1, low: 0.6, high: 0.9, optimum: 1, value: mutants.score, 'aria-labelledby': 'mutation-score' }),
      h('span', { class: 'muted' }, ` ${mutants.killed} of ${plural(mutants.total - mutants.equivalent, 'plausible wrong answer')} told apart by the data (${plural(report.datasets, 'hidden dataset')})` +
        (mutants.equivalent > 0 ? `; ${mutants.equivalent} more judged equivalent.` : '.'))),
    report.survivors.length === 0
      ? h('p', { class: 'muted' }, 'No survivors: every mutant is caught.')
      : h('details', { class: 'survivors', open: report.survivors.length <= 5 },
        h('summary', {}, `${plural(report.survivors.length, 'survivor')}: wrong answers that would pass (or answers equivalent to yours: mark them so, with why)`),
        h('ul', {}, report.survivors.map(survivor => survivorItem(survivor, judge)))),
    report.equivalent.length > 0 && h('details', { class: 'survivors equivalent' },
      h('summary', {}, `${plural(report.equivalent.length, 'mutant')} judged equivalent (left out of the score)`),
      h('ul', {}, report.equivalent.map(mutant => equivalentItem(mutant, judge)))))
}

export function statisticsView (statistics: Statistics): HTMLElement {
  const item = (label: string, value: string, id: string) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { id }, value))
  return h('dl', { class: 'stats-list' },
    item('Submissions', String(statistics.submissions), 'stat-submissions'),
    item('Correct', String(statistics.correct_submissions), 'stat-correct'),
    item('Students who tried', String(statistics.attempted_users), 'stat-attempted'),
    item('Students who solved it', String(statistics.solved_users), 'stat-solved'),
    item('Pass rate', percent(statistics.pass_rate), 'stat-pass-rate'))
}

export function mistakesView (clusters: MistakeCluster[], header?: string[]): HTMLElement {
  if (clusters.length === 0) return h('p', { class: 'muted' }, 'No wrong answers yet.')
  return h('ol', { class: 'mistakes' }, clusters.map(cluster => h('li', { class: 'mistake' },
    h('p', { class: 'mistake-head' }, h('strong', {}, plural(cluster.count, 'wrong answer')), ` (${percent(cluster.share)} of them) · `, h('span', { class: 'mistake-reason' }, cluster.reason ?? 'an error')),
    (cluster.expected_row !== null || cluster.actual_row !== null) && h('div', { class: 'diff-rows' },
      rowTable('Expected', cluster.expected_row, cluster.actual_row, header, 'expected'),
      rowTable('Given', cluster.actual_row, cluster.expected_row, header, 'actual')),
    h('p', { class: 'muted' }, 'For example:'),
    h('ul', { class: 'examples' }, cluster.examples.map(example => h('li', {}, h('pre', { class: 'sql-block' }, h('code', {}, example))))))))
}

/** A card whose content loads (and reloads on its button). */
export function loadingCard<T> (options: { id: string, title: string, intro?: string, load: () => Promise<T>, view: (value: T) => HTMLElement, isCurrent: () => boolean }) {
  const body = h('div', {})
  const reload = h('button', { type: 'button', class: 'secondary small' }, 'Refresh')
  const element = h('section', { class: 'card', id: options.id, 'aria-labelledby': `${options.id}-heading` },
    h('div', { class: 'card-head' }, h('h2', { id: `${options.id}-heading` }, options.title), reload),
    options.intro && h('p', { class: 'muted' }, options.intro),
    body)
  const show = (value: T) => replaceChildren(body, options.view(value))
  async function load () {
    reload.disabled = true
    element.setAttribute('aria-busy', 'true')
    if (body.childElementCount === 0) replaceChildren(body, h('p', { class: 'muted', role: 'status' }, 'Loading…'))
    try {
      const value = await options.load()
      if (options.isCurrent()) show(value)
    } catch (error) {
      if (options.isCurrent()) replaceChildren(body, h('p', { class: 'error' }, describeError(error)))
    } finally {
      reload.disabled = false
      element.setAttribute('aria-busy', 'false')
    }
  }
  reload.addEventListener('click', () => { void load() })
  return { element, load, show }
}

/** `header`: the reference answer's column names, when known, to name the columns of mistaken rows. */
export function insightCards (questionId: string, isCurrent: () => boolean, header: () => string[] | undefined) {
  // Read the stored list just before changing it: another tab may have changed it.
  const judge: Judge = async change => {
    const { equivalent_mutants: judged } = await teacherApi.question(questionId)
    const saved = await teacherApi.changeQuestion(questionId, { equivalent_mutants: change(judged) })
    if (isCurrent()) quality.show(saved.quality)
  }
  const quality = loadingCard({
    id: 'quality',
    title: 'Quality report',
    intro: 'Plausible wrong answers (mutants) are made from the reference answer; the schema and hidden datasets should tell each apart from it.',
    load: () => teacherApi.quality(questionId),
    view: (report: QualityReport) => qualityView(report, judge),
    isCurrent
  })
  return {
    quality,
    statistics: loadingCard({ id: 'statistics', title: 'Statistics', load: () => teacherApi.statistics(questionId), view: statisticsView, isCurrent }),
    mistakes: loadingCard({
      id: 'mistakes',
      title: 'Mistake clusters',
      intro: 'Wrong submissions grouped by what they gave on the visible data and why, largest group first.',
      load: () => teacherApi.mistakes(questionId),
      view: clusters => mistakesView(clusters, header()),
      isCurrent
    })
  }
}
