// A schema: its id, description, picture and SQL (highlighted editor), saved
// through the API, which builds the SQL first; its structure as SQLite reads
// it, drawn as an entity-relationship diagram; the questions set on it.
import { describeError } from '../api.ts'
import { h, replaceChildren } from '../dom.ts'
import { createSqlEditor } from '../editor.ts'
import { erDiagram } from '../er-diagram.ts'
import { structureView } from '../structure-view.ts'
import { confirmButton } from './confirm.ts'
import { describedBy, draftStore, field, fieldErrors, statusLine } from './forms.ts'
import type { WorkspaceContext } from './index.ts'
import { teacherApi, type FullSchema, type SchemaInput } from './teacher-api.ts'

interface SchemaDraft { id: string, description: string, picture: string, initial_sql: string }

const fromSchema = (schema: FullSchema): SchemaDraft => ({ id: schema.id, description: schema.description, picture: schema.picture ?? '', initial_sql: schema.initial_sql })
const empty: SchemaDraft = { id: '', description: '', picture: '', initial_sql: '' }

async function renderStructure (box: HTMLElement, schemaId: string, isCurrent: () => boolean): Promise<void> {
  replaceChildren(box, h('p', { class: 'muted', role: 'status' }, 'Reading the tables…'))
  try {
    const structure = await teacherApi.structure(schemaId)
    if (!isCurrent()) return
    replaceChildren(box, erDiagram(structure), h('details', { class: 'structure-text' }, h('summary', {}, 'Tables and columns as text'), structureView(structure)))
  } catch (error) {
    if (isCurrent()) replaceChildren(box, h('p', { class: 'error' }, describeError(error)))
  }
}

async function renderQuestionsOn (box: HTMLElement, schemaId: string, isCurrent: () => boolean): Promise<void> {
  try {
    const questions = (await teacherApi.questions()).filter(question => question.schema_id === schemaId)
    if (!isCurrent()) return
    replaceChildren(box,
      questions.length === 0
        ? h('p', { class: 'muted' }, 'No question is set on this schema yet.')
        : h('ul', { class: 'plain-list' }, questions.map(question => h('li', {}, h('a', { href: `#/workspace/questions/${encodeURIComponent(question.id)}` }, question.title)))),
      h('a', { class: 'button secondary', href: `#/workspace/questions/new?schema=${encodeURIComponent(schemaId)}` }, 'New question on this schema'))
  } catch (error) {
    if (isCurrent()) replaceChildren(box, h('p', { class: 'error' }, describeError(error)))
  }
}

export async function renderSchemaEditor (main: HTMLElement, context: WorkspaceContext, schemaId: string | null): Promise<void> {
  const { isCurrent } = context
  context.setTitle(schemaId ? `Schema ${schemaId}` : 'New schema')
  replaceChildren(main, h('p', { class: 'muted', role: 'status' }, 'Loading the schema…'))
  let saved: SchemaDraft = empty
  if (schemaId) {
    try {
      saved = fromSchema(await teacherApi.schema(schemaId))
    } catch (error) {
      if (!isCurrent()) return
      replaceChildren(main, h('nav', { class: 'crumbs' }, h('a', { href: '#/workspace' }, '← Workspace')),
        h('h1', { tabindex: '-1' }, `Schema ${schemaId}`), h('p', { class: 'error', role: 'alert' }, describeError(error)))
      return
    }
    if (!isCurrent()) return
  }
  const drafts = draftStore<SchemaDraft>(`schema.${schemaId ?? 'new'}`)
  const draft = drafts.load()
  const restored = draft !== null && JSON.stringify(draft) !== JSON.stringify(saved)
  const start = restored ? draft : saved

  const idInput = h('input', { type: 'text', value: start.id, required: true, pattern: '[a-z0-9][a-z0-9_\\-]{0,63}', autocomplete: 'off', readonly: schemaId !== null })
  const description = h('textarea', { rows: 3 }, start.description)
  const picture = h('input', { type: 'url', value: start.picture, placeholder: 'https://…' })
  const sqlHost = h('div', { class: 'editor editor-tall' })
  const fields = [
    field({ name: 'id', id: 'schema-id', label: 'Id', control: idInput, hint: schemaId ? 'The id cannot change.' : 'Lower-case letters, digits, - and _; questions refer to it.' }),
    field({ name: 'description', id: 'schema-description', label: 'Description', control: description }),
    field({ name: 'picture', id: 'schema-picture', label: 'Picture (optional)', control: picture, hint: 'An address of an image; the diagram below is drawn from the SQL itself.' }),
    field({ name: 'initial_sql', id: 'schema-sql', label: 'SQL that creates and fills the tables', control: sqlHost, focusable: () => editor.view.contentDOM, hint: 'SQLite. Checked by building it before it is saved.' })
  ]
  const general = h('p', { class: 'error', role: 'alert', hidden: true })
  const errors = fieldErrors(fields, general)
  const saveButton = h('button', { type: 'submit' }, schemaId ? 'Save changes' : 'Create schema')
  const status = statusLine()
  const structureBox = h('div', {}, h('p', { class: 'muted' }, 'Save the schema to see its tables and diagram.'))
  const questionsBox = h('div', {})
  const form = h('form', { class: 'card editor-form', 'aria-labelledby': 'schema-form-heading', novalidate: true },
    h('h2', { id: 'schema-form-heading' }, 'Definition'),
    restored && h('p', { class: 'restored', role: 'status' }, 'Your unsaved changes from this tab are back. ',
      h('button', { type: 'button', class: 'secondary small', onclick: () => { drafts.clear(); void renderSchemaEditor(main, context, schemaId) } }, 'Discard them')),
    fields.map(item => item.element),
    h('div', { class: 'actions' }, saveButton, status),
    general)

  replaceChildren(main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/workspace' }, '← Workspace')),
    h('h1', { tabindex: '-1' }, schemaId ? h('span', {}, 'Schema ', h('code', {}, schemaId)) : 'New schema'),
    h('div', { class: 'editor-layout' },
      form,
      schemaId && h('aside', { class: 'card', 'aria-labelledby': 'schema-questions-heading' },
        h('h2', { id: 'schema-questions-heading' }, 'Questions on this schema'), questionsBox,
        h('div', { class: 'danger-zone' }, deleteControl(schemaId)))),
    h('section', { class: 'card', 'aria-labelledby': 'structure-heading' },
      h('h2', { id: 'structure-heading' }, 'Structure and diagram'),
      h('p', { class: 'muted' }, 'Read by SQLite from the saved SQL: tables, columns, primary keys (PK) and foreign keys (FK, drawn as lines from the many side to the one side).'),
      structureBox))

  const current = (): SchemaDraft => ({ id: idInput.value.trim(), description: description.value, picture: picture.value.trim(), initial_sql: editor.text() })
  const remember = () => drafts.save(current())
  const editor = createSqlEditor({
    parent: sqlHost,
    doc: start.initial_sql,
    labelledBy: 'schema-sql-label',
    describedBy: describedBy('schema-sql', true),
    placeholder: 'CREATE TABLE … ;  INSERT INTO … VALUES … ;',
    onRun: () => form.requestSubmit(),
    onChange: remember
  })
  for (const input of [idInput, description, picture]) input.addEventListener('input', remember)

  form.addEventListener('submit', event => {
    event.preventDefault()
    void save()
  })

  async function save (): Promise<void> {
    const now = current()
    errors.clear()
    const input: SchemaInput = {}
    if (!schemaId) input.id = now.id
    if (!schemaId || now.description !== saved.description) input.description = now.description
    if (now.picture !== saved.picture) input.picture = now.picture === '' ? null : now.picture
    if (!schemaId || now.initial_sql !== saved.initial_sql) input.initial_sql = now.initial_sql
    if (schemaId && Object.keys(input).length === 0) {
      status.say('Nothing changed.')
      return
    }
    saveButton.disabled = true
    status.say(input.initial_sql !== undefined ? 'Building the SQL…' : 'Saving…', 'busy')
    try {
      const result = schemaId ? await teacherApi.changeSchema(schemaId, input) : await teacherApi.createSchema(input)
      drafts.clear()
      if (!isCurrent()) return
      if (!schemaId) {
        location.hash = `#/workspace/schemas/${encodeURIComponent(result.id)}`
        return
      }
      saved = fromSchema(result)
      status.say('Saved.', 'ok')
      void renderStructure(structureBox, schemaId, isCurrent)
    } catch (error) {
      if (!isCurrent()) return
      status.say('Not saved.')
      // Everything typed stays in the form (and in this tab's draft).
      errors.show(error)
    } finally {
      saveButton.disabled = false
    }
  }

  function deleteControl (id: string): HTMLElement {
    return confirmButton({
      id: 'delete-schema',
      label: 'Delete schema',
      confirmLabel: `Yes, delete ${id}`,
      question: `Delete schema ${id}? This cannot be undone.`,
      action: async () => {
        await teacherApi.deleteSchema(id)
        drafts.clear()
        location.hash = '#/workspace'
      }
    })
  }

  if (schemaId) {
    void renderStructure(structureBox, schemaId, isCurrent)
    void renderQuestionsOn(questionsBox, schemaId, isCurrent)
  }
}
