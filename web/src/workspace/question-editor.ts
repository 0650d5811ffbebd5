// A question in the workspace: its fields and grading settings, a live
// preview of the reference answer's result, and, once saved, its quality
// report, hidden datasets, statistics and mistake clusters. A refused save
// shows the API's reason next to the field it names and keeps everything
// typed (in the form, and in this tab's draft).
import { api, describeError, type Category, type Schema } from '../api.ts'
import { h, replaceChildren } from '../dom.ts'
import { forgetLearnerData } from '../learner-data.ts'
import { answerPreview } from './answer-preview.ts'
import { confirmButton } from './confirm.ts'
import { datasetsCard } from './datasets.ts'
import { draftStore, fieldErrors, statusLine } from './forms.ts'
import type { WorkspaceContext } from './index.ts'
import { insightCards } from './insights.ts'
import { draftOf, emptyDraft, inputOf, questionFields, type QuestionDraft } from './question-fields.ts'
import { teacherApi, type FullQuestion } from './teacher-api.ts'

async function load (questionId: string | null): Promise<{ question: FullQuestion | null, schemas: Schema[], categories: Category[] }> {
  const [question, schemas, categories] = await Promise.all([
    questionId === null ? Promise.resolve(null) : teacherApi.question(questionId),
    teacherApi.schemas(),
    api.categories().catch(() => [] as Category[])
  ])
  return { question, schemas, categories }
}

export async function renderQuestionEditor (main: HTMLElement, context: WorkspaceContext, questionId: string | null): Promise<void> {
  const { isCurrent } = context
  context.setTitle(questionId ? `Question ${questionId}` : 'New question')
  replaceChildren(main, h('p', { class: 'muted', role: 'status' }, 'Loading the question…'))
  let loaded
  try {
    loaded = await load(questionId)
  } catch (error) {
    if (!isCurrent()) return
    replaceChildren(main, h('nav', { class: 'crumbs' }, h('a', { href: '#/workspace' }, '← Workspace')),
      h('h1', { tabindex: '-1' }, questionId ? `Question ${questionId}` : 'New question'), h('p', { class: 'error', role: 'alert' }, describeError(error)))
    return
  }
  if (!isCurrent()) return
  const { question, schemas, categories } = loaded
  let saved: QuestionDraft | null = question ? draftOf(question) : null
  const drafts = draftStore<QuestionDraft>(`question.${questionId ?? 'new'}`)
  const draft = drafts.load()
  const base = saved ?? emptyDraft(context.params.get('schema') ?? schemas[0]?.id ?? '')
  const restored = draft !== null && JSON.stringify(draft) !== JSON.stringify(base)
  const start = restored ? draft : base

  const preview = answerPreview(() => ({ schemaId: form.read().schema_id, query: form.editor.text() }), isCurrent)
  const form = questionFields(start, schemas, categories, {
    onChange: () => {
      drafts.save(form.read())
      preview.changed()
    },
    onAnswerRun: () => { void preview.run() }
  })
  const general = h('p', { class: 'error', role: 'alert', hidden: true })
  // A hidden dataset failing the new answer concerns the answer being saved.
  const errors = fieldErrors(form.fields, general, { datasets: 'answer' })
  const saveButton = h('button', { type: 'submit' }, questionId ? 'Save changes' : 'Create question')
  const status = statusLine()
  const element = h('form', { class: 'card editor-form', 'aria-labelledby': 'question-form-heading', novalidate: true },
    h('h2', { id: 'question-form-heading' }, 'Question'),
    restored && h('p', { class: 'restored', role: 'status' }, 'Your unsaved changes from this tab are back. ',
      h('button', { type: 'button', class: 'secondary small', onclick: () => { drafts.clear(); void renderQuestionEditor(main, context, questionId) } }, 'Discard them')),
    form.elements.main,
    form.elements.grading,
    h('div', { class: 'actions' }, saveButton, status),
    general)

  const insights = questionId ? insightCards(questionId, isCurrent, preview.header) : null
  const datasets = questionId
    ? datasetsCard(questionId, {
      schemaSql: async () => (await teacherApi.schema(form.read().schema_id)).initial_sql,
      onQuality: report => { if (report) insights?.quality.show(report); else void insights?.quality.load() },
      isCurrent
    })
    : null

  replaceChildren(main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/workspace' }, '← Workspace'),
      question && [' · ', h('a', { href: `#/questions/${encodeURIComponent(question.id)}` }, 'as students see it')]),
    h('h1', { tabindex: '-1' }, question ? question.title : 'New question'),
    h('div', { class: 'editor-layout' },
      element,
      h('div', { class: 'side' }, preview.element,
        questionId && h('section', { class: 'card danger-zone', 'aria-label': 'Delete' }, confirmButton({
          id: 'delete-question',
          label: 'Delete question',
          confirmLabel: 'Yes, delete it',
          question: 'Delete this question, its hidden datasets and its statistics? This cannot be undone.',
          action: async () => {
            await teacherApi.deleteQuestion(questionId)
            drafts.clear()
            forgetLearnerData()
            location.hash = '#/workspace'
          }
        })))),
    insights && h('div', { class: 'insights' }, insights.quality.element, datasets?.element, insights.statistics.element, insights.mistakes.element))

  form.schemaSelect.addEventListener('change', () => { void completeFromSchema() })
  // The editor completes the chosen schema's tables and columns.
  async function completeFromSchema () {
    const schemaId = form.read().schema_id
    if (!schemaId) return
    try {
      const structure = await teacherApi.structure(schemaId)
      if (isCurrent() && form.read().schema_id === schemaId) {
        form.editor.setSchema(Object.fromEntries(structure.tables.map(table => [table.name, table.columns.map(column => column.name)])))
      }
    } catch {
      // completion is a help, not a need
    }
  }

  element.addEventListener('submit', event => {
    event.preventDefault()
    void save()
  })

  async function save (): Promise<void> {
    const now = form.read()
    const input = inputOf(now, saved)
    errors.clear()
    if (questionId && Object.keys(input).length === 0) {
      status.say('Nothing changed.')
      return
    }
    saveButton.disabled = true
    status.say(input.answer !== undefined || input.grading !== undefined || input.schema_id !== undefined ? 'Testing the answer…' : 'Saving…', 'busy')
    try {
      const result = questionId ? await teacherApi.changeQuestion(questionId, input) : await teacherApi.createQuestion(input)
      drafts.clear()
      forgetLearnerData()
      if (!isCurrent()) return
      if (!questionId) {
        location.hash = `#/workspace/questions/${encodeURIComponent(result.id)}`
        return
      }
      saved = draftOf(result)
      status.say('Saved.', 'ok')
      insights?.quality.show(result.quality)
    } catch (error) {
      if (!isCurrent()) return
      status.say('Not saved.')
      errors.show(error)
    } finally {
      saveButton.disabled = false
    }
  }

  void completeFromSchema()
  const previewed = preview.run()
  if (insights && datasets) {
    void insights.quality.load()
    void datasets.load()
    void insights.statistics.load()
    // After the preview: its column names label the mistaken rows.
    void previewed.finally(() => insights.mistakes.load())
  }
}
