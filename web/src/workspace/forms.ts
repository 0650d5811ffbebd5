// Form fields of the workspace: each with its label, hint and error, the
// error tied to its control (aria-describedby, aria-invalid), and the API's
// refusals put next to the field they name. The API names fields at the
// start of its messages ("answer: ...", "grading.numeric_tolerance: ...",
// "initial_sql of hidden dataset 2: ..."), so one parser serves every form.
import { ApiError, describeError } from '../api.ts'
import { h, type Child } from '../dom.ts'

export interface Field {
  /** the API's name for it */
  name: string
  element: HTMLElement
  /** what gets focus and aria-invalid */
  control: () => HTMLElement
  error: HTMLElement
}

interface FieldOptions {
  name: string
  id: string
  label: Child | Child[]
  hint?: string
  /** an input, select or textarea (labelled with for=), or a host element for an editor */
  control: HTMLElement
  /** for an editor: the element that takes focus once it exists */
  focusable?: () => HTMLElement
  class?: string
}

export function field (options: FieldOptions): Field {
  const { id } = options
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true })
  const hint = options.hint ? h('p', { id: `${id}-hint`, class: 'field-hint' }, options.hint) : null
  const native = /^(INPUT|SELECT|TEXTAREA)$/.test(options.control.tagName)
  if (native) {
    options.control.id = id
    options.control.setAttribute('aria-describedby', [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' '))
  }
  const label = native
    ? h('label', { for: id, id: `${id}-label` }, options.label)
    : h('label', { id: `${id}-label`, onclick: () => options.focusable?.().focus() }, options.label)
  const element = h('div', { class: `field ${options.class ?? ''}`.trim() }, label, options.control, hint, error)
  return { name: options.name, element, control: options.focusable ?? (() => options.control), error }
}

/** ids an editor's content should name in aria-describedby */
export const describedBy = (id: string, hint: boolean) => [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' ')

export interface ParsedError { field: string | null, text: string }

export function parseApiError (error: unknown): ParsedError {
  if (!(error instanceof ApiError) || !['bad-request', 'sql', 'timeout'].includes(error.kind)) return { field: null, text: describeError(error) }
  const message = error.message
  if (error.status === 409 && /^schema \S+ already exists$/.test(message)) return { field: 'id', text: `${message}: choose another id` }
  const dataset = /^initial_sql of hidden dataset (\d+): ([\s\S]*)$/.exec(message)
  if (dataset) return { field: 'datasets', text: `hidden dataset ${dataset[1]}: ${dataset[2]}` }
  const named = /^([a-z_]+(?:\.[a-z_]+)*): ([\s\S]*)$/.exec(message)
  if (named) return { field: named[1] as string, text: named[2] as string }
  return { field: null, text: describeError(error) }
}

export interface FieldErrors {
  /** shows the refusal next to its field (else in the general place); returns the field it went to */
  show: (error: unknown) => string | null
  clear: () => void
}

export function fieldErrors (fields: Field[], general: HTMLElement, aliases: Record<string, string> = {}): FieldErrors {
  const clear = () => {
    for (const item of fields) {
      item.error.hidden = true
      item.error.textContent = ''
      item.control().removeAttribute('aria-invalid')
    }
    general.hidden = true
    general.textContent = ''
  }
  return {
    clear,
    show (error) {
      clear()
      const parsed = parseApiError(error)
      const name = parsed.field === null ? null : aliases[parsed.field] ?? parsed.field
      const target = fields.find(item => item.name === name) ?? (name === null ? undefined : fields.find(item => name.startsWith(`${item.name}.`)))
      if (!target) {
        general.hidden = false
        general.textContent = parsed.field === null ? parsed.text : `${parsed.field}: ${parsed.text}`
        return null
      }
      target.error.hidden = false
      target.error.textContent = parsed.text.charAt(0).toUpperCase() + parsed.text.slice(1)
      const control = target.control()
      control.setAttribute('aria-invalid', 'true')
      control.focus()
      return target.name
    }
  }
}

// What a teacher typed survives a failed save, a reload and a sign-in again
// (a 401 replaces the page): kept in this tab until saved or discarded.
export function draftStore<T> (key: string) {
  const storageKey = `playground.workspace.${key}`
  return {
    load (): T | null {
      try {
        const raw = sessionStorage.getItem(storageKey)
        return raw === null ? null : JSON.parse(raw) as T
      } catch {
        return null
      }
    },
    save (value: T): void {
      try {
        sessionStorage.setItem(storageKey, JSON.stringify(value))
      } catch {
        // storage full or refused: the form itself still holds the text
      }
    },
    clear (): void {
      sessionStorage.removeItem(storageKey)
    }
  }
}

/** A select of fixed options. */
export function select (options: { value: string, label: string }[], current: string): HTMLSelectElement {
  return h('select', {}, options.map(option => h('option', { value: option.value, selected: option.value === current }, option.label)))
}

/** A status line next to a form's buttons: says what a save did. */
export function statusLine (): HTMLElement & { say: (text: string, kind?: 'ok' | 'busy' | '') => void } {
  const element = h('span', { class: 'form-status', role: 'status' }) as HTMLElement & { say: (text: string, kind?: 'ok' | 'busy' | '') => void }
  element.say = (text, kind = '') => {
    element.textContent = text
    element.dataset.kind = kind
  }
  return element
}
