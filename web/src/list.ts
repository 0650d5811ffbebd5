// The question list. The API pages with limit/offset and has no filter, so
// the page fetches the catalogue chunk by chunk, only as far as the page on
// screen needs, and filters by difficulty over what it has: a filtered page
// is then as full as an unfiltered one, and "Next" appears only when there
// is more to show.
import { api, describeError, type Question } from './api.ts'
import { h, plural, replaceChildren } from './dom.ts'

export const pageSize = 10
const chunkSize = 50
export const difficulties = ['easy', 'medium', 'hard'] as const

const catalogue: { items: Question[], complete: boolean, epoch: number } = { items: [], complete: false, epoch: 0 }
// Loads run one after another: two at once would fetch the same offset twice.
let queue: Promise<unknown> = Promise.resolve()

export function forgetCatalogue (): void {
  catalogue.items = []
  catalogue.complete = false
  catalogue.epoch++
}

const matches = (difficulty: string) => (question: Question) => difficulty === '' || question.difficulty === difficulty

// Loads chunks until `wanted` questions match (or there are no more).
function loadUntil (wanted: number, difficulty: string): Promise<Question[]> {
  const load = queue.then(async () => {
    let found = catalogue.items.filter(matches(difficulty))
    while (found.length < wanted && !catalogue.complete) {
      const epoch = catalogue.epoch
      const chunk = await api.questions(chunkSize, catalogue.items.length)
      // After a refresh in the meantime, this chunk belongs to the old list.
      if (epoch === catalogue.epoch) {
        catalogue.items.push(...chunk)
        if (chunk.length < chunkSize) catalogue.complete = true
      }
      found = catalogue.items.filter(matches(difficulty))
    }
    return found
  })
  queue = load.catch(() => {})
  return load
}

export function difficultyBadge (difficulty: string): HTMLElement {
  return h('span', { class: `badge difficulty-${difficulty || 'unrated'}` }, difficulty || 'unrated')
}

export interface ListRoute { page: number, difficulty: string }

export function listHash (route: ListRoute): string {
  const params = new URLSearchParams()
  if (route.page > 1) params.set('page', String(route.page))
  if (route.difficulty) params.set('difficulty', route.difficulty)
  const query = params.toString()
  return `#/questions${query ? `?${query}` : ''}`
}

export async function renderList (main: HTMLElement, route: ListRoute, isCurrent: () => boolean): Promise<void> {
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading questions…')
  const filter = h('select', {
    id: 'difficulty-filter',
    onchange: (event: Event) => { location.hash = listHash({ page: 1, difficulty: (event.target as HTMLSelectElement).value }) }
  },
  h('option', { value: '' }, 'All difficulties'),
  difficulties.map(level => h('option', { value: level, selected: level === route.difficulty }, level)))
  const refresh = h('button', { type: 'button', class: 'secondary', onclick: () => { forgetCatalogue(); void renderList(main, route, isCurrent) } }, 'Refresh')
  const body = h('div', {}, status)
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Questions'),
    h('p', { class: 'lead' }, 'Pick a question, write a query, run it, and compare your result with the reference answer.'),
    h('div', { class: 'toolbar' }, h('label', { for: 'difficulty-filter' }, 'Difficulty'), filter, refresh),
    body)

  const start = (route.page - 1) * pageSize
  let found: Question[]
  try {
    // One more than the page holds tells whether there is a next page.
    found = await loadUntil(start + pageSize + 1, route.difficulty)
  } catch (error) {
    if (!isCurrent()) return
    replaceChildren(body, h('p', { class: 'error', role: 'alert' }, describeError(error)),
      h('button', { type: 'button', onclick: () => { void renderList(main, route, isCurrent) } }, 'Try again'))
    return
  }
  if (!isCurrent()) return

  const shown = found.slice(start, start + pageSize)
  const hasNext = found.length > start + pageSize
  if (shown.length === 0) {
    replaceChildren(body, h('p', { class: 'empty' },
      route.page > 1 ? 'There are no questions on this page.' : route.difficulty ? `No ${route.difficulty} questions.` : 'There are no questions yet.'),
    route.page > 1 && h('a', { href: listHash({ ...route, page: 1 }) }, 'Back to the first page'))
    return
  }

  const table = h('table', { class: 'questions' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Difficulty'))),
    h('tbody', {}, shown.map(question => h('tr', {},
      h('td', { class: 'num' }, question.id),
      h('td', {}, h('a', { href: `#/questions/${encodeURIComponent(question.id)}` }, question.title)),
      h('td', {}, h('span', { class: 'tag' }, question.type)),
      h('td', {}, difficultyBadge(question.difficulty))))))

  const known = catalogue.complete ? `of ${found.length}` : ''
  const pager = h('nav', { class: 'pager', 'aria-label': 'Question pages' },
    h('a', { class: 'button secondary', href: listHash({ ...route, page: route.page - 1 }), rel: 'prev', hidden: route.page <= 1 }, '← Previous'),
    h('span', { class: 'muted' }, `Page ${route.page} · ${plural(shown.length, 'question')} (${start + 1}–${start + shown.length}${known ? ` ${known}` : ''})`),
    h('a', { class: 'button secondary', href: listHash({ ...route, page: route.page + 1 }), rel: 'next', hidden: !hasNext }, 'Next →'))
  replaceChildren(body, table, pager)
}
