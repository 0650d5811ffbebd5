// The teachers' workspace, loaded on demand (a dynamic import) for tokens
// with write:resource only:
//   #/workspace                       schemas and questions
//   #/workspace/schemas/new           a new schema
//   #/workspace/schemas/{id}          a schema: its SQL, structure, diagram
//   #/workspace/questions/new?schema= a new question
//   #/workspace/questions/{id}        a question: answer, preview, grading, datasets, quality, mistakes
import './workspace.css'
import type { Session } from '../auth.ts'
import { h, replaceChildren } from '../dom.ts'
import { renderHome } from './home.ts'
import { renderQuestionEditor } from './question-editor.ts'
import { renderSchemaEditor } from './schema-editor.ts'

export interface WorkspaceContext {
  path: string
  params: URLSearchParams
  session: Session
  isCurrent: () => boolean
  setTitle: (title: string) => void
}

export async function renderWorkspace (main: HTMLElement, context: WorkspaceContext): Promise<void> {
  const parts = context.path.split('/').filter(Boolean).map(decodeURIComponent)
  const [, kind, id] = parts
  if (parts.length === 1) return renderHome(main, context)
  if (parts.length === 3 && kind === 'schemas') return renderSchemaEditor(main, context, id === 'new' ? null : id as string)
  if (parts.length === 3 && kind === 'questions') return renderQuestionEditor(main, context, id === 'new' ? null : id as string)
  context.setTitle('Workspace')
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Not found'),
    h('p', {}, 'There is nothing at this address in the workspace. ', h('a', { href: '#/workspace' }, 'Back to the workspace')))
}
