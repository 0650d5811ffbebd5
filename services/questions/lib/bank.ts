// Importing and exporting question banks: one module for the route
// (POST/GET /bank), the CLI (`npm run bank:import|bank:export`) and the
// seeds. A bank is checked whole before anything is written (references,
// then every schema's SQL and every question's self-test, as a save does),
// then applied in one transaction under the catalogue lock. Importing the
// same bank twice changes nothing the second time.
import { HttpError } from '../../../lib/http-error.ts'
import type { Bank } from './bank-schema.ts'
import { changesNothing, planImport, type BankMode, type BankPlan, type Conflict, type IdLists } from './bank-plan.ts'
import { createBankWriter, questionsOnSchemas, readCatalogue, readState, type BankWriter, type CatalogueState } from './bank-store.ts'
import type { Db } from './database.ts'
import type { QualityReport, QuestionSql } from './runner-client.ts'

export type { BankMode }

/** Serialises imports and seed loads (the same lock the seeds always took). */
export const CATALOGUE_LOCK = 7_351_001

/** How a bank's SQL is checked: by the runner (the route) or by the engine in process (the CLI). */
export interface BankAnalyser {
  /** the schema's SQL builds; else a 400 naming `initial_sql` */
  checkSchema: (initialSql: string) => Promise<void>
  /** the question's self-test, as a save runs it; else a 400 naming the field */
  selfTest: (question: QuestionSql) => Promise<QualityReport>
}

export interface ImportOptions {
  mode: BankMode
  dryRun: boolean
  /** null: the SQL is not checked (the seeds: their test checks them) */
  analyser: BankAnalyser | null
  /** a line per item checked and written */
  progress?: (line: string) => void
}

export interface ImportReport {
  dry_run: boolean
  mode: BankMode
  created: IdLists
  updated: IdLists
  unchanged: IdLists
  deleted: { datasets: string[] }
  conflicts: Conflict[]
}

function duplicates (ids: string[]): string[] {
  const seen = new Set<string>()
  return [...new Set(ids.filter(id => seen.has(id) || !seen.add(id)))]
}

/** Ids are unique within the bank. */
export function checkIds (bank: Bank): void {
  const schemas = duplicates(bank.schemas.map(schema => schema.id))
  if (schemas.length > 0) throw new HttpError(400, `schemas: the id ${schemas.join(', ')} is used more than once`)
  const questions = duplicates(bank.questions.map(question => question.id))
  if (questions.length > 0) throw new HttpError(400, `questions: the id ${questions.join(', ')} is used more than once`)
}

/** Every question's schema, from the bank or else from the database. */
function schemaSqlOf (bank: Bank, state: CatalogueState): Map<string, string> {
  const sql = new Map([...state.schemas.values()].map(schema => [schema.id, schema.initial_sql]))
  for (const schema of bank.schemas) sql.set(schema.id, schema.initial_sql)
  for (const question of bank.questions) {
    if (!sql.has(question.schema_id)) throw new HttpError(400, `question ${question.id}: schema_id: schema ${question.schema_id} is neither in the bank nor in the database`)
  }
  return sql
}

async function named<T> (name: string, work: Promise<T>): Promise<T> {
  return work.catch(error => {
    if (error instanceof HttpError && error.statusCode === 400) throw new HttpError(400, `${name}: ${error.message}`)
    throw error
  })
}

const caught = (report: QualityReport) => `self-test passed; the data tells apart ${report.mutants.killed} of ${report.mutants.total} plausible wrong answers`

async function analyse ({ db, sql }: Db, bank: Bank, options: ImportOptions & { analyser: BankAnalyser }): Promise<void> {
  const { analyser } = options
  const say = options.progress ?? (() => {})
  const state = await readState(db, sql, bank)
  const schemaSql = schemaSqlOf(bank, state)
  for (const schema of bank.schemas) {
    await named(`schema ${schema.id}`, analyser.checkSchema(schema.initial_sql))
    say(`schema ${schema.id}: the SQL builds`)
  }
  for (const question of bank.questions) {
    const report = await named(`question ${question.id}`, analyser.selfTest({
      database: schemaSql.get(question.schema_id)!, datasets: question.datasets, answer: question.answer, settings: question.grading, equivalent_mutants: question.equivalent_mutants
    }))
    say(`question ${question.id}: ${caught(report)}`)
  }
  if (options.mode !== 'replace') return
  // A schema replaced must still serve the stored questions the bank leaves as they are.
  const replaced = bank.schemas.filter(schema => state.schemas.has(schema.id) && state.schemas.get(schema.id)!.initial_sql !== schema.initial_sql)
  if (replaced.length === 0) return
  for (const question of await questionsOnSchemas(db, sql, replaced.map(schema => schema.id), bank.questions.map(q => q.id))) {
    await named(`question ${question.id} (stored, not in the bank) on the new SQL of schema ${question.schema_id}`, analyser.selfTest({
      database: schemaSql.get(question.schema_id)!, datasets: question.datasets.map(dataset => dataset.sql), answer: question.answer, settings: question.grading, equivalent_mutants: question.equivalent_mutants
    }))
    say(`question ${question.id} (stored): passes on the new SQL of schema ${question.schema_id}`)
  }
}

async function apply (writer: BankWriter, plan: BankPlan, say: (line: string) => void): Promise<void> {
  const { writes } = plan
  for (const schema of writes.insertSchemas) await writer.insertSchema(schema)
  for (const schema of writes.updateSchemas) await writer.updateSchema(schema)
  for (const question of writes.insertQuestions) await writer.insertQuestion(question)
  for (const question of writes.updateQuestions) await writer.updateQuestion(question)
  for (const id of writes.deleteDatasets) await writer.deleteDataset(id)
  for (const dataset of writes.updateDatasets) await writer.updateDataset(dataset.id, dataset.sql)
  for (const dataset of writes.insertDatasets) await writer.insertDataset(dataset.questionId, dataset.sql)
  if (writes.insertQuestions.length > 0) await writer.advanceQuestionIds()
  for (const line of planLines(plan)) say(line)
}

/** One line per item of the plan: what was (or would be) done with it. */
export function planLines (plan: BankPlan): string[] {
  const lines: string[] = []
  const kinds = [['schemas', 'schema'], ['questions', 'question'], ['datasets', 'hidden dataset']] as const
  for (const [outcome, lists] of [['created', plan.created], ['updated', plan.updated], ['unchanged', plan.unchanged]] as const) {
    for (const [key, noun] of kinds) for (const id of lists[key]) lines.push(`${noun} ${id}: ${outcome}`)
  }
  for (const id of plan.deleted.datasets) lines.push(`hidden dataset ${id}: deleted`)
  for (const conflict of plan.conflicts) lines.push(`${conflict.kind} ${conflict.id}: conflict (${conflict.fields.join(', ')} differ${conflict.fields.length === 1 ? 's' : ''})`)
  return lines
}

function reportOf (plan: BankPlan, options: ImportOptions): ImportReport {
  const { created, updated, unchanged, deleted, conflicts } = plan
  return { dry_run: options.dryRun, mode: options.mode, created, updated, unchanged, deleted, conflicts }
}

function conflictError (plan: BankPlan, options: ImportOptions): HttpError {
  const names = plan.conflicts.map(conflict => `${conflict.kind} ${conflict.id} (${conflict.fields.join(', ')})`)
  return new HttpError(409, `${names.length} conflict${names.length === 1 ? '' : 's'}: ${names.join('; ')} differ from what is stored; nothing was written. ` +
    'Import in replace mode (mode=replace; --replace on the command line) to overwrite them.', { details: { ...reportOf(plan, options) } })
}

/**
 * Imports a bank: checked whole, then applied in one transaction (or, in a
 * dry run, only planned). In merge mode a conflict is a 409 carrying the
 * report, and nothing is written.
 */
export async function importBank ({ db, sql }: Db, bank: Bank, options: ImportOptions): Promise<ImportReport> {
  const say = options.progress ?? (() => {})
  checkIds(bank)
  if (options.analyser) await analyse({ db, sql }, bank, { ...options, analyser: options.analyser })
  if (options.dryRun) {
    const state = await readState(db, sql, bank)
    schemaSqlOf(bank, state)
    const plan = planImport(bank, state, options.mode)
    for (const line of planLines(plan)) say(`would be: ${line}`)
    return reportOf(plan, options)
  }
  const plan = await db.tx(async tx => {
    await tx.query(sql`SELECT pg_advisory_xact_lock(${CATALOGUE_LOCK})`)
    const state = await readState(tx, sql, bank)
    schemaSqlOf(bank, state)
    const planned = planImport(bank, state, options.mode)
    if (options.mode === 'merge' && planned.conflicts.length > 0) throw conflictError(planned, options)
    if (!changesNothing(planned)) await apply(createBankWriter(tx, sql), planned, say)
    else for (const line of planLines(planned)) say(line)
    return planned
  })
  return reportOf(plan, options)
}

export async function exportBank ({ db, sql }: Db): Promise<Bank> {
  return readCatalogue(db, sql)
}
