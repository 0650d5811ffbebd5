// Loads the starter catalogue, the question bank seeds/catalogue.bank.json,
// with the bank import (services/questions/lib/bank.ts) in its `keep` mode:
// what is missing is added, with the bank's ids; stored records are never
// changed (a teacher's edit stays; a question on a schema changed since is
// not added); a question stored as seeded gets the hidden datasets it lacks.
// So it is safe to run any number of times, and two starts at once are
// serialised by the catalogue lock. The SQL is not run here: the seeds' test
// checks it, with the same self-test an import runs.
import type { ClientBase } from 'pg'
import { readFileSync } from 'node:fs'
import { importBank } from '../services/questions/lib/bank.ts'
import { parseBank, type Bank } from '../services/questions/lib/bank-schema.ts'
import { pgDatabase } from '../services/questions/lib/pg-database.ts'

export interface SeedResult {
  schemas: number
  questions: number
  /** hidden datasets attached to questions */
  datasets: number
}

export const seedBankFile = new URL('../seeds/catalogue.bank.json', import.meta.url)

let seedBank: Bank | undefined

/** The starter catalogue, checked against the bank's JSON Schema. */
export function readSeedBank (): Bank {
  seedBank ??= parseBank(JSON.parse(readFileSync(seedBankFile, 'utf8')))
  return seedBank
}

export async function loadSeeds (client: ClientBase): Promise<SeedResult> {
  const report = await importBank(pgDatabase(client), readSeedBank(), { mode: 'keep', dryRun: false, analyser: null })
  return { schemas: report.created.schemas.length, questions: report.created.questions.length, datasets: report.created.datasets.length }
}

export async function isCatalogueEmpty (client: ClientBase): Promise<boolean> {
  const { rows } = await client.query('SELECT (SELECT count(*) FROM schemas) + (SELECT count(*) FROM questions) AS n')
  return Number(rows[0].n) === 0
}

/** The SQL of a seeded schema, by id. */
export function seedSchemaSql (id: string): string {
  const schema = readSeedBank().schemas.find(candidate => candidate.id === id)
  if (!schema) throw new Error(`the seed bank has no schema ${id}`)
  return schema.initial_sql
}
