// The workspace's first view: every schema and every question, with links to
// edit them and to make new ones.
import { describeError, type Question, type Schema } from '../api.ts'
import { h, plural, replaceChildren } from '../dom.ts'
import { difficultyBadge } from '../list.ts'
import type { WorkspaceContext } from './index.ts'
import { teacherApi } from './teacher-api.ts'

function schemaTable (schemas: Schema[], questions: Question[]): HTMLElement {
  if (schemas.length === 0) return h('p', { class: 'empty' }, 'No schemas yet.')
  return h('table', { class: 'questions workspace-schemas' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Schema'), h('th', { scope: 'col' }, 'Description'), h('th', { scope: 'col' }, 'Questions'))),
    h('tbody', {}, schemas.map(schema => h('tr', {},
      h('td', {}, h('a', { href: `#/workspace/schemas/${encodeURIComponent(schema.id)}` }, h('code', {}, schema.id))),
      h('td', { class: 'clip' }, schema.description.split('\n')[0] ?? ''),
      h('td', { class: 'num-right' }, String(questions.filter(question => question.schema_id === schema.id).length))))))
}

function questionTable (questions: Question[]): HTMLElement {
  if (questions.length === 0) return h('p', { class: 'empty' }, 'No questions yet.')
  return h('table', { class: 'questions workspace-questions' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Schema'),
      h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Difficulty'))),
    h('tbody', {}, questions.map(question => h('tr', {},
      h('td', { class: 'num' }, question.id),
      h('td', {}, h('a', { href: `#/workspace/questions/${encodeURIComponent(question.id)}` }, question.title)),
      h('td', {}, h('code', {}, question.schema_id)),
      h('td', {}, h('span', { class: 'tag' }, question.type)),
      h('td', {}, difficultyBadge(question.difficulty))))))
}

export async function renderHome (main: HTMLElement, context: WorkspaceContext): Promise<void> {
  context.setTitle('Workspace')
  const schemasBox = h('div', {}, h('p', { class: 'muted', role: 'status' }, 'Loading schemas…'))
  const questionsBox = h('div', {}, h('p', { class: 'muted', role: 'status' }, 'Loading questions…'))
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Workspace'),
    h('p', { class: 'lead' }, 'Schemas are the databases questions are set on; every question has a reference answer, grading settings and hidden datasets.'),
    h('div', { class: 'workspace-home' },
      h('section', { class: 'card', 'aria-labelledby': 'schemas-heading' },
        h('div', { class: 'card-head' }, h('h2', { id: 'schemas-heading' }, 'Schemas'), h('a', { class: 'button', href: '#/workspace/schemas/new' }, 'New schema')),
        schemasBox),
      h('section', { class: 'card', 'aria-labelledby': 'questions-heading' },
        h('div', { class: 'card-head' }, h('h2', { id: 'questions-heading' }, 'Questions'), h('a', { class: 'button', href: '#/workspace/questions/new' }, 'New question')),
        questionsBox)))
  const [schemas, questions] = await Promise.allSettled([teacherApi.schemas(), teacherApi.questions()])
  if (!context.isCurrent()) return
  const failure = (reason: unknown) => h('p', { class: 'error', role: 'alert' }, describeError(reason))
  const questionList = questions.status === 'fulfilled' ? questions.value : []
  replaceChildren(schemasBox, schemas.status === 'fulfilled'
    ? [schemaTable(schemas.value, questionList), h('p', { class: 'muted' }, plural(schemas.value.length, 'schema'))]
    : failure(schemas.reason))
  replaceChildren(questionsBox, questions.status === 'fulfilled'
    ? [questionTable(questionList), h('p', { class: 'muted' }, plural(questionList.length, 'question'))]
    : failure(questions.reason))
}
