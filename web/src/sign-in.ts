// The sign-in view. With Logto: one button (the SDK redirects). In dev mode:
// a name for the leaderboard and a role, student or teacher, that decides the
// scopes of the local token.
import { describeError } from './api.ts'
import { devSignIn, logtoSignIn, type DevRole, type Session, type WebConfig } from './auth.ts'
import { h, replaceChildren } from './dom.ts'

export interface SignInOptions {
  config: WebConfig | null
  message?: string
  onSignedIn: (session: Session) => void
}

function devForm (config: WebConfig, fail: (error: unknown) => void, onSignedIn: (session: Session) => void): HTMLElement {
  const name = h('input', { id: 'dev-name', type: 'text', maxlength: 100, autocomplete: 'nickname', 'aria-describedby': 'dev-name-hint' })
  const role = (value: DevRole, label: string, hint: string) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'dev-role', value, checked: value === 'student' }),
    h('span', {}, h('strong', {}, label), ' ', h('span', { class: 'muted' }, hint)))
  const button = h('button', { type: 'submit', id: 'sign-in' }, 'Dev sign-in')
  const form = h('form', { class: 'dev-sign-in' },
    h('div', { class: 'field' },
      h('label', { for: 'dev-name' }, 'Your name ', h('span', { class: 'muted' }, '(optional)')),
      name,
      h('p', { id: 'dev-name-hint', class: 'field-hint' }, 'Shown on the leaderboard. Signing in again with the same name and role is the same user.')),
    h('fieldset', { class: 'field roles' },
      h('legend', {}, 'Sign in as'),
      role('student', 'Student', 'browse, solve, see your progress'),
      role('teacher', 'Teacher', 'also the workspace: schemas, questions, datasets')),
    button)
  form.addEventListener('submit', event => {
    event.preventDefault()
    const chosen = (form.querySelector('input[name="dev-role"]:checked') as HTMLInputElement | null)?.value === 'teacher' ? 'teacher' : 'student'
    button.disabled = true
    devSignIn(config, { name: name.value, role: chosen }).then(onSignedIn, fail).finally(() => { button.disabled = false })
  })
  return form
}

export function renderSignIn (main: HTMLElement, options: SignInOptions): void {
  const { config } = options
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
      ? h('button', { type: 'button', id: 'sign-in', onclick: () => { logtoSignIn(config).catch(fail) } }, 'Sign in')
      : h('p', { class: 'error' }, 'Sign-in is not set up on this server: LOGTO_APP_ID is empty. Ask its administrator.')
  } else {
    explanation = 'This server runs without Logto. The dev sign-in gives you a local token, as user “dev-student” unless you give a name.'
    action = devForm(config ?? { auth: 'dev', scopes: [] }, fail, options.onSignedIn)
  }
  replaceChildren(main,
    h('section', { class: 'card sign-in', 'aria-labelledby': 'sign-in-heading' },
      h('h1', { id: 'sign-in-heading', tabindex: '-1' }, 'Sign in'),
      options.message && h('p', { class: 'message' }, options.message),
      h('p', {}, explanation),
      action,
      failure))
}
