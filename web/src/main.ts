// Boot and routing. Routes live in the hash (#/questions?page=2,
// #/questions/5, #/progress, #/leaderboard, #/workspace/...), so a reload or
// the back button lands where the person was. The teachers' workspace is
// loaded on demand: students never download it.
import './styles.css'
import { ApiError, configureApi, describeError } from './api.ts'
import { accessToken, clearSession, completeLogtoSignIn, isTeacher, loadConfig, restoreSession, signOut, teacherScope, type Session, type WebConfig } from './auth.ts'
import { h, replaceChildren } from './dom.ts'
import { forgetLearnerData } from './learner-data.ts'
import { renderLeaderboard } from './leaderboard.ts'
import { renderList } from './list.ts'
import { renderProgress } from './progress.ts'
import { renderQuestion } from './question.ts'
import { renderSignIn } from './sign-in.ts'

const main = document.getElementById('main') as HTMLElement
const nav = document.getElementById('nav') as HTMLElement
const sessionBar = document.getElementById('session') as HTMLElement
const notice = document.getElementById('notice') as HTMLElement

let config: WebConfig | null = null
let session: Session | null = null
// Every render bumps it; async work of an older render then drops its result.
let generation = 0

function showNotice (text: string | null): void {
  notice.hidden = text === null
  notice.textContent = text ?? ''
}

const sections = [
  { href: '#/questions', label: 'Questions', match: /^\/questions/ },
  { href: '#/progress', label: 'My progress', match: /^\/progress/ },
  { href: '#/leaderboard', label: 'Leaderboard', match: /^\/leaderboard/ },
  { href: '#/workspace', label: 'Workspace', match: /^\/workspace/, teachers: true }
]

function currentPath (): string {
  return (location.hash.replace(/^#/, '') || '/questions').split('?')[0] ?? ''
}

function renderNav (): void {
  nav.hidden = session === null
  const path = currentPath()
  replaceChildren(nav, session && sections
    .filter(section => !section.teachers || isTeacher(session))
    .map(section => h('a', { href: section.href, 'aria-current': section.match.test(path) ? 'page' : undefined }, section.label)))
}

function renderSessionBar (): void {
  renderNav()
  if (!session) {
    replaceChildren(sessionBar)
    return
  }
  replaceChildren(sessionBar,
    h('span', { class: 'who' }, 'Signed in as ', h('strong', {}, session.name ?? session.subject),
      isTeacher(session) && h('span', { class: 'tag role-tag' }, 'teacher'),
      config?.auth === 'dev' ? ' (dev sign-in)' : ''),
    h('button', { type: 'button', class: 'secondary small', onclick: () => {
      signOut(config).catch(error => showNotice(describeError(error)))
      session = null
      forgetLearnerData()
      renderSessionBar()
      showNotice(null)
      showSignIn('You are signed out.')
    } }, 'Sign out'))
}

function showSignIn (message?: string): void {
  generation++
  renderSignIn(main, {
    config,
    message,
    onSignedIn: signedIn => {
      session = signedIn
      forgetLearnerData()
      renderSessionBar()
      showNotice(null)
      route()
    }
  })
}

// Students never get the workspace's code; the API refuses its calls anyway.
function renderNotForStudents (): void {
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Workspace'),
    h('p', { class: 'error', role: 'alert' }, `The workspace is for teachers: your account lacks the scope “${teacherScope}”.`),
    h('p', {}, h('a', { href: '#/questions' }, '← Back to the questions')))
  document.title = 'Workspace · Database Playground'
}

async function renderWorkspaceRoute (path: string, params: URLSearchParams, current: Session, isCurrent: () => boolean): Promise<void> {
  replaceChildren(main, h('p', { class: 'muted', role: 'status' }, 'Loading the workspace…'))
  try {
    const workspace = await import('./workspace/index.ts')
    if (isCurrent()) await workspace.renderWorkspace(main, { path, params, session: current, isCurrent, setTitle: title => { document.title = `${title} · Database Playground` } })
  } catch (error) {
    if (isCurrent()) replaceChildren(main, h('h1', {}, 'Workspace'), h('p', { class: 'error', role: 'alert' }, `The workspace could not load: ${describeError(error)}`))
  }
}

function route (): void {
  const current = ++generation
  const isCurrent = () => current === generation
  if (!session) {
    renderNav()
    showSignIn()
    return
  }
  renderNav()
  const hash = location.hash.replace(/^#/, '') || '/questions'
  const [path = '', query = ''] = hash.split('?')
  const params = new URLSearchParams(query)
  const questionMatch = /^\/questions\/([^/]+)$/.exec(path)
  const focusHeading = () => { if (isCurrent()) main.querySelector('h1')?.focus() }
  if (questionMatch) {
    void renderQuestion(main, decodeURIComponent(questionMatch[1] as string), session, isCurrent)
    document.title = 'Question · Database Playground'
  } else if (path === '/progress') {
    void renderProgress(main, session, isCurrent).then(focusHeading)
    document.title = 'My progress · Database Playground'
  } else if (path === '/leaderboard') {
    void renderLeaderboard(main, params, session, isCurrent).then(focusHeading)
    document.title = 'Leaderboard · Database Playground'
  } else if (path === '/workspace' || path.startsWith('/workspace/')) {
    if (isTeacher(session)) void renderWorkspaceRoute(path, params, session, isCurrent).then(focusHeading)
    else renderNotForStudents()
  } else {
    const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
    void renderList(main, { page, difficulty: params.get('difficulty') ?? '', type: params.get('type') ?? '' }, isCurrent).then(focusHeading)
    document.title = 'Questions · Database Playground'
  }
}

async function start (): Promise<void> {
  configureApi({
    // Asked before every call: the SDK renews an expired Logto token here.
    token: async () => session ? await accessToken(config) : null,
    onUnauthorized: (error: ApiError) => {
      clearSession(config)
      session = null
      forgetLearnerData()
      renderSessionBar()
      showSignIn(describeError(error))
    }
  })
  try {
    config = await loadConfig()
  } catch (error) {
    replaceChildren(main,
      h('h1', {}, 'The page cannot start'),
      h('p', { class: 'error', role: 'alert' }, `Could not load the page's settings: ${describeError(error)}`),
      h('button', { type: 'button', onclick: () => location.reload() }, 'Try again'))
    return
  }
  try {
    await completeLogtoSignIn(config)
  } catch (error) {
    showNotice(describeError(error))
  }
  session = await restoreSession(config)
  renderSessionBar()
  window.addEventListener('hashchange', () => {
    showNotice(null)
    route()
  })
  route()
}

void start()
