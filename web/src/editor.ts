// The SQL editor: CodeMirror 6 with SQLite highlighting, completion of the
// question's tables and columns, Ctrl/Cmd+Enter to run, and undo/redo.
import { ChangeSet, Compartment, EditorSelection, EditorState, Prec, Transaction, type Extension } from '@codemirror/state'
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view'
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language'
import { autocompletion, closeBrackets, closeCompletion } from '@codemirror/autocomplete'
import { SQLite, sql } from '@codemirror/lang-sql'

export interface SqlEditor {
  view: EditorView
  text: () => string
  /** replaces the whole text (an undoable change) */
  setText: (text: string) => void
  setSchema: (tables: Record<string, string[]>) => void
  /** closes the completion list, e.g. when the query runs */
  settle: () => void
}

interface HistoryEntry { changes: ChangeSet, selection: EditorSelection, at: number, typing: boolean }

// A small undo/redo: @codemirror/commands (which has the full history) is not
// among the installed packages. Typing within a second is undone as one step.
function history (): Extension {
  const undone: HistoryEntry[] = []
  const done: HistoryEntry[] = []
  let replaying = false

  const record = EditorView.updateListener.of(update => {
    if (replaying || !update.docChanged) return
    for (const tr of update.transactions) {
      if (!tr.docChanged) continue
      const entry = { changes: tr.changes.invert(tr.startState.doc), selection: tr.startState.selection, at: Date.now(), typing: false }
      let inserted = ''
      tr.changes.iterChanges((_fromA, _toA, _fromB, _toB, text) => { inserted += text.toString() })
      const last = done[done.length - 1]
      const typing = tr.isUserEvent('input.type') && !inserted.includes('\n')
      if (last && typing && last.typing && entry.at - last.at < 1000) {
        done[done.length - 1] = { changes: entry.changes.compose(last.changes), selection: last.selection, at: entry.at, typing: true }
      } else {
        done.push({ ...entry, typing })
        if (done.length > 200) done.shift()
      }
      undone.length = 0
    }
  })

  function replay (from: HistoryEntry[], to: HistoryEntry[], view: EditorView): boolean {
    const entry = from.pop()
    if (!entry) return false
    to.push({ changes: entry.changes.invert(view.state.doc), selection: view.state.selection, at: 0, typing: false })
    replaying = true
    try {
      view.dispatch({ changes: entry.changes, selection: entry.selection, scrollIntoView: true, annotations: Transaction.addToHistory.of(false) })
    } finally {
      replaying = false
    }
    return true
  }

  return [
    record,
    keymap.of([
      { key: 'Mod-z', run: view => replay(done, undone, view), preventDefault: true },
      { key: 'Mod-y', run: view => replay(undone, done, view), preventDefault: true },
      { key: 'Mod-Shift-z', run: view => replay(undone, done, view), preventDefault: true }
    ])
  ]
}

export interface SqlEditorOptions {
  parent: HTMLElement
  doc: string
  labelledBy: string
  /** ids of what describes the content: hints, errors */
  describedBy?: string
  placeholder?: string
  onRun: () => void
  onChange: (text: string) => void
}

export function createSqlEditor (options: SqlEditorOptions): SqlEditor {
  const language = new Compartment()
  const languageFor = (tables: Record<string, string[]>) => sql({ dialect: SQLite, schema: tables, upperCaseKeywords: true })

  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        // Before every other key binding: Mod-Enter must run, never insert a line.
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: view => { closeCompletion(view); options.onRun(); return true }, preventDefault: true }])),
        lineNumbers(),
        drawSelection(),
        highlightActiveLine(),
        history(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ icons: false }),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        language.of(languageFor({})),
        placeholder(options.placeholder ?? 'SELECT …   (Ctrl+Enter or ⌘+Enter runs it)'),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({
          'aria-labelledby': options.labelledBy,
          'aria-multiline': 'true',
          spellcheck: 'false',
          ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {})
        }),
        EditorView.updateListener.of(update => {
          if (update.docChanged) options.onChange(update.state.doc.toString())
        })
      ]
    })
  })

  return {
    view,
    text: () => view.state.doc.toString(),
    setText: text => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setSchema: tables => view.dispatch({ effects: language.reconfigure(languageFor(tables)) }),
    settle: () => { closeCompletion(view) }
  }
}
