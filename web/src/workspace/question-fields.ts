// The fields of a question: text, schema, category, difficulty, reference
// answer (a highlighted editor), solution video, and its grading settings.
import type { Category, Schema } from '../api.ts'
import { h } from '../dom.ts'
import { createSqlEditor, type SqlEditor } from '../editor.ts'
import { describedBy, field, select, type Field } from './forms.ts'
import type { FullQuestion, QuestionInput } from './teacher-api.ts'

export interface QuestionDraft {
  title: string
  schema_id: string
  type: string
  difficulty: string
  description: string
  answer: string
  solution_video: string
  row_order: string
  column_names: string
  numeric_tolerance: string
}

export const draftOf = (question: FullQuestion): QuestionDraft => ({
  title: question.title,
  schema_id: question.schema_id,
  type: question.type,
  difficulty: question.difficulty,
  description: question.description,
  answer: question.answer,
  solution_video: question.solution_video ?? '',
  row_order: question.grading.row_order,
  column_names: question.grading.column_names,
  numeric_tolerance: question.grading.numeric_tolerance === null ? '' : String(question.grading.numeric_tolerance)
})

export const emptyDraft = (schemaId: string): QuestionDraft => ({
  title: '', schema_id: schemaId, type: '', difficulty: 'easy', description: '', answer: '', solution_video: '', row_order: 'auto', column_names: 'ignore', numeric_tolerance: ''
})

/** What the API should get: everything for a new question, the changes for a saved one. */
export function inputOf (draft: QuestionDraft, saved: QuestionDraft | null): QuestionInput {
  const changed = (key: keyof QuestionDraft) => saved === null || draft[key] !== saved[key]
  const input: QuestionInput = {}
  if (changed('title')) input.title = draft.title.trim()
  if (changed('schema_id')) input.schema_id = draft.schema_id
  if (changed('type')) input.type = draft.type.trim()
  if (changed('difficulty')) input.difficulty = draft.difficulty
  if (changed('description')) input.description = draft.description
  if (changed('answer')) input.answer = draft.answer
  if (changed('solution_video') && (saved !== null || draft.solution_video.trim() !== '')) input.solution_video = draft.solution_video.trim() === '' ? null : draft.solution_video.trim()
  const grading: NonNullable<QuestionInput['grading']> = {}
  if (changed('row_order')) grading.row_order = draft.row_order as 'auto'
  if (changed('column_names')) grading.column_names = draft.column_names as 'ignore'
  if (changed('numeric_tolerance')) {
    const text = draft.numeric_tolerance.trim()
    // Not a number: sent as typed, so the API's refusal names the field.
    grading.numeric_tolerance = text === '' ? null : Number.isFinite(Number(text)) ? Number(text) : text as unknown as number
  }
  if (Object.keys(grading).length > 0) input.grading = grading
  return input
}

export interface QuestionFields {
  fields: Field[]
  elements: { main: HTMLElement[], grading: HTMLElement }
  editor: SqlEditor
  read: () => QuestionDraft
  schemaSelect: HTMLSelectElement
}

const rowOrders = [
  { value: 'auto', label: 'auto (by the answer’s ORDER BY)' },
  { value: 'any', label: 'any order' },
  { value: 'strict', label: 'strict sequence' }
]
const columnNames = [
  { value: 'ignore', label: 'ignore (by position)' },
  { value: 'match', label: 'match (names too)' }
]

export function questionFields (start: QuestionDraft, schemas: Schema[], categories: Category[], hooks: { onChange: () => void, onAnswerRun: () => void }): QuestionFields {
  const title = h('input', { type: 'text', value: start.title, maxlength: 300, required: true })
  const schemaSelect = select(schemas.map(schema => ({ value: schema.id, label: schema.id })), start.schema_id)
  if (start.schema_id === '' || !schemas.some(schema => schema.id === start.schema_id)) {
    schemaSelect.prepend(h('option', { value: start.schema_id, selected: true, disabled: start.schema_id === '' }, start.schema_id || 'Choose a schema'))
  }
  const type = h('input', { type: 'text', value: start.type, maxlength: 100, list: 'category-options', required: true })
  const typeOptions = h('datalist', { id: 'category-options' }, categories.map(category => h('option', { value: category.type })))
  const difficulty = select(['easy', 'medium', 'hard'].map(value => ({ value, label: value })), start.difficulty)
  const description = h('textarea', { rows: 4 }, start.description)
  const answerHost = h('div', { class: 'editor' })
  const video = h('input', { type: 'url', value: start.solution_video, placeholder: 'https://…' })
  const rowOrder = select(rowOrders, start.row_order)
  const columns = select(columnNames, start.column_names)
  const tolerance = h('input', { type: 'text', inputmode: 'decimal', value: start.numeric_tolerance, placeholder: 'exact', size: 10 })

  const editor = createSqlEditor({
    parent: answerHost,
    doc: start.answer,
    labelledBy: 'question-answer-label',
    describedBy: describedBy('question-answer', true),
    placeholder: 'SELECT …   (its result is previewed as you type; Ctrl+Enter runs it now)',
    onRun: hooks.onAnswerRun,
    onChange: hooks.onChange
  })
  for (const input of [title, schemaSelect, type, difficulty, description, video, rowOrder, columns, tolerance]) {
    input.addEventListener(input.tagName === 'SELECT' ? 'change' : 'input', hooks.onChange)
  }

  const fields = [
    field({ name: 'title', id: 'question-title', label: 'Title', control: title }),
    field({ name: 'schema_id', id: 'question-schema', label: 'Schema', control: schemaSelect }),
    field({ name: 'type', id: 'question-type', label: 'Category', control: type, hint: 'What students filter by, e.g. joins.' }),
    field({ name: 'difficulty', id: 'question-difficulty', label: 'Difficulty', control: difficulty }),
    field({ name: 'description', id: 'question-description', label: 'Task', control: description, hint: 'Names in `backticks` show as code.' }),
    field({ name: 'answer', id: 'question-answer', label: 'Reference answer', control: answerHost, focusable: () => editor.view.contentDOM,
      hint: 'Saved only when it runs, gives a column or more, and gives the same result whatever order rows are stored in.' }),
    field({ name: 'solution_video', id: 'question-video', label: 'Solution video (optional)', control: video }),
    field({ name: 'grading.row_order', id: 'grading-row-order', label: 'Row order', control: rowOrder,
      hint: 'auto: rows in the order the answer’s ORDER BY decides (any order without one).' }),
    field({ name: 'grading.column_names', id: 'grading-column-names', label: 'Column names', control: columns,
      hint: 'ignore: columns compare by position and count.' }),
    field({ name: 'grading.numeric_tolerance', id: 'grading-tolerance', label: 'Numeric tolerance', control: tolerance,
      hint: 'Empty: values compare as the exact text SQLite prints. A number: numbers equal within it (0 makes 9.0 equal 9).' })
  ]
  const byName = (name: string) => fields.find(item => item.name === name)!.element
  const row = (...names: string[]) => h('div', { class: 'field-row' }, names.map(byName))
  return {
    fields,
    editor,
    schemaSelect,
    elements: {
      main: [byName('title'), row('schema_id', 'type', 'difficulty'), typeOptions, byName('description'), byName('answer'), byName('solution_video')],
      grading: h('fieldset', { class: 'grading' }, h('legend', {}, 'Grading'),
        row('grading.row_order', 'grading.column_names'), byName('grading.numeric_tolerance'))
    },
    read: () => ({
      title: title.value,
      schema_id: schemaSelect.value,
      type: type.value,
      difficulty: difficulty.value,
      description: description.value,
      answer: editor.text(),
      solution_video: video.value,
      row_order: rowOrder.value,
      column_names: columns.value,
      numeric_tolerance: tolerance.value
    })
  }
}
