// Boot and routing. Routes live in the hash (#/questions?page=2,
// #/questions/5), so a reload or the back button lands where the person was.
import './styles.css'
import { ApiError, configureApi, describeError } from './api.ts'
import {
  accessToken, clearSession, completeLogtoSignIn, devSignIn, loadConfig, logtoSignIn, restoreSession, signOut,
  type Session, type WebConfig
} from './auth.ts'
import { h, replaceChildren } from './dom.ts'
import { renderList } from './list.ts'
import { renderQuestion } from './question.ts'

const main = document.getElementById('main') as HTMLElement
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

function renderSessionBar (): void {
  if (!session) {
    replaceChildren(sessionBar)
    return
  }
  replaceChildren(sessionBar,
    h('span', { class: 'who' }, 'Signed in as ', h('strong', {}, session.subject), config?.auth === 'dev' ? ' (dev sign-in)' : ''),
    h('button', { type: 'button', class: 'secondary small', onclick: () => {
      signOut(config).catch(error => showNotice(describeError(error)))
      session = null
      renderSessionBar()
      showNotice(null)
      renderSignIn('You are signed out.')
    } }, 'Sign out'))
}

function renderSignIn (message?: string): void {
  generation++
  const failure = h('p', { class: 'error', role: 'alert', hidden: true })
  const fail = (error: unknown) => {
    failure.hidden = false
    failure.textContent = describeError(error)
  }
  let action: HTMLElement
  let explanation: string
  if (config?.auth === 'logto') {
    explanation = 'Sign in with your school account to practise.'
    action = config.appId
      ? h('button', { type: 'button', id: 'sign-in', onclick: () => { logtoSignIn(config as Extract<WebConfig, { auth: 'logto' }>).catch(fail) } }, 'Sign in')
      : h('p', { class: 'error' }, 'Sign-in is not set up on this server: LOGTO_APP_ID is empty. Ask its administrator.')
  } else {
    explanation = 'This server runs without Logto. The dev sign-in gives you a local token with every scope, as user “dev-student”.'
    action = h('button', { type: 'button', id: 'sign-in', onclick: async (event: Event) => {
      const button = event.currentTarget as HTMLButtonElement
      button.disabled = true
      try {
        session = await devSignIn(config as WebConfig)
        renderSessionBar()
        showNotice(null)
        route()
      } catch (error) {
        fail(error)
      } finally {
        button.disabled = false
      }
    } }, 'Dev sign-in')
  }
  replaceChildren(main,
    h('section', { class: 'card sign-in', 'aria-labelledby': 'sign-in-heading' },
      h('h1', { id: 'sign-in-heading', tabindex: '-1' }, 'Sign in'),
      message && h('p', { class: 'message' }, message),
      h('p', {}, explanation),
      action,
      failure))
}

function route (): void {
  const current = ++generation
  const isCurrent = () => current === generation
  if (!session) {
    renderSignIn()
    return
  }
  const hash = location.hash.replace(/^#/, '') || '/questions'
  const [path = '', query = ''] = hash.split('?')
  const params = new URLSearchParams(query)
  const questionMatch = /^\/questions\/([^/]+)$/.exec(path)
  if (questionMatch) {
    void renderQuestion(main, decodeURIComponent(questionMatch[1] as string), session, isCurrent)
    document.title = 'Question · Database Playground'
  } else {
    const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
    void renderList(main, { page, difficulty: params.get('difficulty') ?? '' }, isCurrent).then(() => {
      if (isCurrent()) main.querySelector('h1')?.focus()
    })
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
      renderSessionBar()
      renderSignIn(describeError(error))
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
