// The leaderboard: who earned the most points (or solved the most questions)
// today, this week or of all time. Names are what each learner's sign-in
// carries, else a pseudonym the API makes; the signed-in learner's row is
// marked when the name is theirs.
import { api, describeError, type Period, type Ranking } from './api.ts'
import type { Session } from './auth.ts'
import { h, replaceChildren } from './dom.ts'

const pageSize = 20
const periods: { value: Period, label: string }[] = [{ value: 'day', label: 'Today' }, { value: 'week', label: 'This week' }, { value: 'all', label: 'All time' }]
const rankings: { value: Ranking, label: string }[] = [{ value: 'points', label: 'Points earned' }, { value: 'solved', label: 'Questions solved' }]

interface LeaderboardRoute { period: Period, by: Ranking, page: number }

function readRoute (params: URLSearchParams): LeaderboardRoute {
  const period = periods.find(option => option.value === params.get('period'))?.value ?? 'week'
  const by = rankings.find(option => option.value === params.get('by'))?.value ?? 'points'
  return { period, by, page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1) }
}

function leaderboardHash (route: LeaderboardRoute): string {
  const params = new URLSearchParams({ period: route.period, by: route.by })
  if (route.page > 1) params.set('page', String(route.page))
  return `#/leaderboard?${params}`
}

// A group of toggle buttons: one of them pressed, each a link (so keyboard,
// history and reload all work).
function choices<T extends string> (label: string, options: { value: T, label: string }[], current: T, hashOf: (value: T) => string): HTMLElement {
  return h('div', { class: 'segmented', role: 'group', 'aria-label': label },
    h('span', { class: 'segmented-label', 'aria-hidden': 'true' }, label),
    options.map(option => h('a', { class: 'segment', href: hashOf(option.value), 'aria-current': option.value === current ? 'true' : undefined }, option.label)))
}

export async function renderLeaderboard (main: HTMLElement, params: URLSearchParams, session: Session, isCurrent: () => boolean): Promise<void> {
  const route = readRoute(params)
  const body = h('div', {}, h('p', { class: 'muted', role: 'status' }, 'Loading the leaderboard…'))
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Leaderboard'),
    h('p', { class: 'lead' }, 'Points earned by solving questions in the period (starting points and opened solutions do not count). Only learners who solved something in the period are listed.'),
    h('div', { class: 'toolbar' },
      choices('Period', periods, route.period, period => leaderboardHash({ ...route, period, page: 1 })),
      choices('Rank by', rankings, route.by, by => leaderboardHash({ ...route, by, page: 1 }))),
    body)

  let entries
  try {
    entries = await api.leaderboard(route.period, route.by, pageSize + 1, (route.page - 1) * pageSize)
  } catch (error) {
    if (!isCurrent()) return
    replaceChildren(body, h('p', { class: 'error', role: 'alert' }, describeError(error)))
    return
  }
  if (!isCurrent()) return
  const shown = entries.slice(0, pageSize)
  if (shown.length === 0) {
    replaceChildren(body, h('p', { class: 'empty' }, route.page > 1 ? 'No more learners.' : 'Nobody has solved a question in this period yet. Be the first!'))
    return
  }
  const me = session.name
  const table = h('table', { class: 'questions leaderboard' },
    h('caption', { class: 'visually-hidden' }, `${periods.find(option => option.value === route.period)?.label}, by ${route.by}`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Learner'),
      h('th', { scope: 'col', class: route.by === 'points' ? 'sorted' : undefined }, 'Points'),
      h('th', { scope: 'col', class: route.by === 'solved' ? 'sorted' : undefined }, 'Solved'))),
    h('tbody', {}, shown.map(entry => {
      const mine = me !== undefined && entry.user === me
      return h('tr', { class: mine ? 'is-me' : undefined },
        h('td', { class: 'num rank' }, entry.rank <= 3 ? h('span', { class: `medal medal-${entry.rank}` }, String(entry.rank)) : String(entry.rank)),
        h('td', { class: 'learner' }, entry.user, mine && h('span', { class: 'tag you' }, 'you')),
        h('td', { class: 'num-right' }, String(entry.points)),
        h('td', { class: 'num-right' }, String(entry.solved)))
    })))
  const pager = h('nav', { class: 'pager', 'aria-label': 'Leaderboard pages' },
    h('a', { class: 'button secondary', href: leaderboardHash({ ...route, page: route.page - 1 }), rel: 'prev', hidden: route.page <= 1 }, '← Previous'),
    h('span', { class: 'muted' }, `Ranks ${shown[0]?.rank}–${shown[shown.length - 1]?.rank}`),
    h('a', { class: 'button secondary', href: leaderboardHash({ ...route, page: route.page + 1 }), rel: 'next', hidden: entries.length <= pageSize }, 'Next →'))
  replaceChildren(body, table, pager)
}
