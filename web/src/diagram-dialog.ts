// The schema's diagram for learners, in a dialog: the drawing code loads
// only when someone opens it.
import { describeError, type Structure } from './api.ts'
import { h } from './dom.ts'

export function diagramButton (structure: Structure): HTMLElement {
  const button = h('button', { type: 'button', class: 'secondary small diagram-open', 'aria-haspopup': 'dialog' }, 'Show the diagram')
  button.addEventListener('click', async () => {
    button.disabled = true
    const close = h('button', { type: 'button', class: 'secondary small' }, 'Close')
    const dialog = h('dialog', { class: 'diagram-dialog', 'aria-labelledby': 'diagram-heading' },
      h('div', { class: 'card-head' }, h('h2', { id: 'diagram-heading' }, 'Schema ', h('code', {}, structure.id)), close))
    try {
      const { erDiagram } = await import('./er-diagram.ts')
      dialog.append(erDiagram(structure))
    } catch (error) {
      dialog.append(h('p', { class: 'error' }, describeError(error)))
    } finally {
      button.disabled = false
    }
    close.addEventListener('click', () => dialog.close())
    // Esc closes it too; focus goes back to the button.
    dialog.addEventListener('close', () => {
      dialog.remove()
      button.focus()
    })
    document.body.append(dialog)
    dialog.showModal()
  })
  return button
}
