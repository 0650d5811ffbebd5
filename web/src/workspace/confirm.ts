// A destructive action in two steps (no modal dialog): the button asks, a
// second button does it. Its refusal (a schema in use) is shown next to it
// and tied to the button with aria-describedby.
import { describeError } from '../api.ts'
import { h, replaceChildren } from '../dom.ts'

export interface ConfirmOptions {
  id: string
  label: string
  confirmLabel: string
  question: string
  action: () => Promise<void>
}

export function confirmButton (options: ConfirmOptions): HTMLElement {
  const errorId = `${options.id}-error`
  const error = h('p', { id: errorId, class: 'field-error', hidden: true })
  const box = h('div', { class: 'confirm' })
  const first = h('button', { type: 'button', id: options.id, class: 'danger', 'aria-describedby': errorId }, options.label)
  const showFirst = () => {
    replaceChildren(box, first, error)
  }
  first.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger', 'aria-describedby': errorId }, options.confirmLabel)
    const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel')
    no.addEventListener('click', () => {
      showFirst()
      first.focus()
    })
    yes.addEventListener('click', async () => {
      yes.disabled = true
      no.disabled = true
      error.hidden = true
      try {
        await options.action()
      } catch (failure) {
        error.hidden = false
        error.textContent = describeError(failure)
        showFirst()
        first.focus()
      }
    })
    replaceChildren(box, h('p', { class: 'confirm-question' }, options.question), h('div', { class: 'actions' }, yes, no), error)
    yes.focus()
  })
  showFirst()
  return box
}
