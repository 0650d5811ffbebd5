// What importing a bank would do to the stored catalogue, decided without
// writing anything: what is created, updated, left unchanged, deleted, and
// which records conflict (same id, other content). Pure: tested and dry-run
// alike. Hidden datasets are named `<question id>/<position>` (1-based, in
// the question's order), as the quality report counts them.
import type { Bank, BankQuestion, BankSchemaEntry } from './bank-schema.ts'
import type { CatalogueState, StoredQuestion } from './bank-store.ts'

/**
 * merge: add what is missing, refuse when anything conflicts; replace:
 * conflicting records take the bank's content; keep (the seeds): conflicting
 * records stay as they are, and the rest is added.
 */
export type BankMode = 'merge' | 'replace' | 'keep'

export interface IdLists { schemas: string[], questions: string[], datasets: string[] }

export interface Conflict {
  kind: 'schema' | 'question'
  id: string
  /** what differs: field names, `datasets`, or `schema` (a question on a schema kept as it is) */
  fields: string[]
}

export interface BankPlan {
  created: IdLists
  updated: IdLists
  unchanged: IdLists
  deleted: { datasets: string[] }
  conflicts: Conflict[]
  /** the writes, in order */
  writes: {
    insertSchemas: BankSchemaEntry[]
    updateSchemas: BankSchemaEntry[]
    insertQuestions: BankQuestion[]
    updateQuestions: BankQuestion[]
    deleteDatasets: string[]
    updateDatasets: { id: string, sql: string }[]
    insertDatasets: { questionId: string, sql: string }[]
  }
}

const lists = (): IdLists => ({ schemas: [], questions: [], datasets: [] })

function schemaDifferences (bank: BankSchemaEntry, stored: BankSchemaEntry): string[] {
  return (['description', 'picture', 'initial_sql'] as const).filter(field => bank[field] !== stored[field])
}

function questionDifferences (bank: BankQuestion, stored: StoredQuestion): string[] {
  const fields = (['schema_id', 'type', 'difficulty', 'title', 'description', 'answer', 'solution_video'] as const).filter(field => bank[field] !== stored[field])
  const grading = (['row_order', 'column_names', 'numeric_tolerance'] as const).filter(field => bank.grading[field] !== stored.grading[field])
  const judged = JSON.stringify(bank.equivalent_mutants) === JSON.stringify(stored.equivalent_mutants) ? [] : ['equivalent_mutants']
  return [...fields, ...grading.map(field => `grading.${field}`), ...judged]
}

export function planImport (bank: Bank, state: CatalogueState, mode: BankMode): BankPlan {
  const plan: BankPlan = {
    created: lists(),
    updated: lists(),
    unchanged: lists(),
    deleted: { datasets: [] },
    conflicts: [],
    writes: { insertSchemas: [], updateSchemas: [], insertQuestions: [], updateQuestions: [], deleteDatasets: [], updateDatasets: [], insertDatasets: [] }
  }
  const { writes } = plan
  const keptSchemas = new Set<string>()

  for (const schema of bank.schemas) {
    const stored = state.schemas.get(schema.id)
    if (!stored) {
      plan.created.schemas.push(schema.id)
      writes.insertSchemas.push(schema)
      continue
    }
    const fields = schemaDifferences(schema, stored)
    if (fields.length === 0) {
      plan.unchanged.schemas.push(schema.id)
    } else if (mode === 'replace') {
      plan.updated.schemas.push(schema.id)
      writes.updateSchemas.push(schema)
    } else {
      plan.conflicts.push({ kind: 'schema', id: schema.id, fields })
      keptSchemas.add(schema.id)
    }
  }

  for (const question of bank.questions) {
    const name = (position: number) => `${question.id}/${position + 1}`
    const stored = state.questions.get(question.id)
    // Seeds: a question is not put on a schema a teacher has changed since.
    if (mode === 'keep' && keptSchemas.has(question.schema_id)) {
      plan.conflicts.push({ kind: 'question', id: question.id, fields: ['schema'] })
      continue
    }
    if (!stored) {
      plan.created.questions.push(question.id)
      writes.insertQuestions.push(question)
      question.datasets.forEach((sql, position) => {
        plan.created.datasets.push(name(position))
        writes.insertDatasets.push({ questionId: question.id, sql })
      })
      continue
    }
    const fields = questionDifferences(question, stored)
    // The stored datasets must be the bank's first ones; the rest can be added.
    const datasetsDiffer = stored.datasets.length > question.datasets.length ||
      stored.datasets.some((dataset, position) => dataset.sql !== question.datasets[position])
    if ((fields.length > 0 || datasetsDiffer) && mode !== 'replace') {
      plan.conflicts.push({ kind: 'question', id: question.id, fields: [...fields, ...(datasetsDiffer ? ['datasets'] : [])] })
      continue
    }
    if (fields.length > 0) {
      plan.updated.questions.push(question.id)
      writes.updateQuestions.push(question)
    } else {
      plan.unchanged.questions.push(question.id)
    }
    question.datasets.forEach((sql, position) => {
      const existing = stored.datasets[position]
      if (!existing) {
        plan.created.datasets.push(name(position))
        writes.insertDatasets.push({ questionId: question.id, sql })
      } else if (existing.sql === sql) {
        plan.unchanged.datasets.push(name(position))
      } else {
        plan.updated.datasets.push(name(position))
        writes.updateDatasets.push({ id: existing.id, sql })
      }
    })
    stored.datasets.slice(question.datasets.length).forEach((dataset, index) => {
      plan.deleted.datasets.push(name(question.datasets.length + index))
      writes.deleteDatasets.push(dataset.id)
    })
  }
  return plan
}

/** Nothing would be written. */
export function changesNothing (plan: BankPlan): boolean {
  const { writes } = plan
  return Object.values(writes).every(list => list.length === 0)
}
