// The question list, filtered by category (the question's type) and
// difficulty on the server, a page at a time, with the learner's own marks:
// solved, attempted.
import { api, describeError, type Category, type Question } from './api.ts'
import { h, plural, replaceChildren } from './dom.ts'
import { forgetLearnerData, myAttempts, type Attempts } from './learner-data.ts'

export const pageSize = 10
export const difficulties = ['easy', 'medium', 'hard'] as const

let categories: Promise<Category[]> | null = null

function loadCategories (): Promise<Category[]> {
  categories ??= api.categories()
  categories.catch(() => { categories = null })
  return categories
}

export function difficultyBadge (difficulty: string): HTMLElement {
  return h('span', { class: `badge difficulty-${difficulty || 'unrated'}` }, difficulty || 'unrated')
}

export function statusMark (questionId: string, attempts: Attempts | null): HTMLElement | null {
  if (!attempts) return null
  if (attempts.solved.has(questionId)) return h('span', { class: 'status status-solved', title: 'You answered it correctly' }, '✓ Solved')
  if (attempts.attempted.has(questionId)) return h('span', { class: 'status status-attempted', title: 'You compared an answer, not a correct one yet' }, 'Attempted')
  return null
}

export interface ListRoute { page: number, difficulty: string, type: string }

export function listHash (route: ListRoute): string {
  const params = new URLSearchParams()
  if (route.page > 1) params.set('page', String(route.page))
  if (route.type) params.set('type', route.type)
  if (route.difficulty) params.set('difficulty', route.difficulty)
  const query = params.toString()
  return `#/questions${query ? `?${query}` : ''}`
}

function filters (route: ListRoute, reload: () => void): HTMLElement {
  const go = (change: Partial<ListRoute>) => { location.hash = listHash({ ...route, ...change, page: 1 }) }
  const category = h('select', { id: 'category-filter', onchange: (event: Event) => go({ type: (event.target as HTMLSelectElement).value }) },
    h('option', { value: '' }, 'All categories'),
    route.type && h('option', { value: route.type, selected: true }, route.type))
  const difficulty = h('select', { id: 'difficulty-filter', onchange: (event: Event) => go({ difficulty: (event.target as HTMLSelectElement).value }) },
    h('option', { value: '' }, 'All difficulties'),
    difficulties.map(level => h('option', { value: level, selected: level === route.difficulty }, level)))
  // The categories arrive after the list may have: the select fills in then.
  loadCategories().then(list => {
    replaceChildren(category, h('option', { value: '' }, 'All categories'),
      list.map(entry => h('option', { value: entry.type, selected: entry.type === route.type }, `${entry.type} (${entry.count})`)))
  }, () => {})
  const refresh = h('button', { type: 'button', class: 'secondary', onclick: () => { forgetLearnerData(); categories = null; reload() } }, 'Refresh')
  return h('div', { class: 'toolbar' },
    h('label', { for: 'category-filter' }, 'Category'), category,
    h('label', { for: 'difficulty-filter' }, 'Difficulty'), difficulty,
    refresh)
}

export async function renderList (main: HTMLElement, route: ListRoute, isCurrent: () => boolean): Promise<void> {
  const body = h('div', {}, h('p', { class: 'muted', role: 'status' }, 'Loading questions…'))
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Questions'),
    h('p', { class: 'lead' }, 'Pick a question, write a query, run it, and compare your result with the reference answer.'),
    filters(route, () => { void renderList(main, route, isCurrent) }),
    body)

  const start = (route.page - 1) * pageSize
  const filter = { type: route.type || undefined, difficulty: route.difficulty || undefined }
  // The marks are a bonus: without them the list still works.
  const marks = myAttempts().catch(() => null)
  let found: Question[]
  try {
    // One more than the page holds tells whether there is a next page.
    found = await api.questions(pageSize + 1, start, filter)
  } catch (error) {
    if (!isCurrent()) return
    replaceChildren(body, h('p', { class: 'error', role: 'alert' }, describeError(error)),
      h('button', { type: 'button', onclick: () => { void renderList(main, route, isCurrent) } }, 'Try again'))
    return
  }
  const attempts = await marks
  if (!isCurrent()) return

  const shown = found.slice(0, pageSize)
  const hasNext = found.length > pageSize
  if (shown.length === 0) {
    const what = [route.difficulty, route.type && `“${route.type}”`].filter(Boolean).join(' ')
    replaceChildren(body, h('p', { class: 'empty' },
      route.page > 1 ? 'There are no questions on this page.' : what ? `No ${what} questions.` : 'There are no questions yet.'),
    route.page > 1 && h('a', { href: listHash({ ...route, page: 1 }) }, 'Back to the first page'))
    return
  }

  const table = h('table', { class: 'questions' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Type'),
      h('th', { scope: 'col' }, 'Difficulty'), h('th', { scope: 'col' }, 'You'))),
    h('tbody', {}, shown.map(question => h('tr', { 'data-question': question.id },
      h('td', { class: 'num' }, question.id),
      h('td', {}, h('a', { href: `#/questions/${encodeURIComponent(question.id)}` }, question.title)),
      h('td', {}, h('span', { class: 'tag' }, question.type)),
      h('td', {}, difficultyBadge(question.difficulty)),
      h('td', { class: 'status-cell' }, statusMark(question.id, attempts))))))

  const pager = h('nav', { class: 'pager', 'aria-label': 'Question pages' },
    h('a', { class: 'button secondary', href: listHash({ ...route, page: route.page - 1 }), rel: 'prev', hidden: route.page <= 1 }, '← Previous'),
    h('span', { class: 'muted' }, `Page ${route.page} · ${plural(shown.length, 'question')} (${start + 1}–${start + shown.length})`),
    h('a', { class: 'button secondary', href: listHash({ ...route, page: route.page + 1 }), rel: 'next', hidden: !hasNext }, 'Next →'))
  replaceChildren(body, table, pager,
    attempts === null && h('p', { class: 'muted' }, 'Your solved and attempted marks could not be loaded.'),
    attempts?.complete === false && h('p', { class: 'muted' }, 'Marks cover your latest 3,000 submissions.'))
}
