// How well a question's data tells right from wrong: the share of the
// reference answer's mutants that some database of the question (the visible
// one, then each hidden dataset) tells apart from the answer. Independent of
// servers: the caller says how SQL is run and how results are compared.

import { mutants } from './mutation.ts'
import type { QueryResult } from './engine-types.ts'

import type { RunSql, SameResult } from './sql-literals.ts'

export type { RunSql, SameResult }

export interface MutationScoreInput {
  /** SQL of the visible database first, then of the hidden datasets */
  databases: string[]
  answer: string
  runSql: RunSql
  same: SameResult
  /** most mutants tried (default 100) */
  max?: number
  /** mutants run at once (default 4); the outcome does not depend on it */
  concurrency?: number
}

export interface MutationScore {
  total: number
  killed: number
  survived: number
  /** killed / total, 1 when there is no mutant */
  score: number
  /** the mutants no database tells apart from the answer, in mutant order */
  survivors: Array<{ operator: string, query: string }>
  /** per database index: how many mutants it is the first to kill */
  killedBy: Record<string, number>
}

/** The reference answer fails on one of the databases: the question is broken, not its data. */
export class AnswerFailsError extends Error {
  database: number

  constructor (database: number, message: string) {
    super(`the reference answer fails on database ${database}: ${message}`)
    this.name = 'AnswerFailsError'
    this.database = database
  }
}

const failed = (result: QueryResult | { error: string }): result is { error: string } => 'error' in result

/**
 * Runs the answer once per database, then each mutant database by database
 * until one kills it: its result is not `same` as the answer's there, or it
 * fails where the answer runs. A mutant that no database kills survives.
 */
export async function mutationScore (input: MutationScoreInput): Promise<MutationScore> {
  const { databases, answer, runSql, same } = input
  const expected: QueryResult[] = []
  for (const [index, database] of databases.entries()) {
    const result = await runSql(database, answer)
    if (failed(result)) throw new AnswerFailsError(index, result.error)
    expected.push(result)
  }

  const list = mutants(answer, { max: input.max })
  // Index of the database that kills each mutant; -1 when it survives.
  const killer = new Array<number>(list.length).fill(-1)
  const firstKiller = async (query: string): Promise<number> => {
    for (const [index, database] of databases.entries()) {
      const actual = await runSql(database, query)
      if (failed(actual) || !same(expected[index], actual)) return index
    }
    return -1
  }
  let next = 0
  const worker = async () => {
    while (next < list.length) {
      const n = next++
      killer[n] = await firstKiller(list[n].query)
    }
  }
  const concurrency = Math.max(1, Math.floor(input.concurrency ?? 4) || 1)
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker))

  const killedBy: Record<string, number> = Object.fromEntries(databases.map((_, index) => [String(index), 0]))
  for (const index of killer) if (index >= 0) killedBy[String(index)]++
  const survivors = list.filter((_, n) => killer[n] < 0).map(m => ({ operator: m.operator, query: m.query }))
  const total = list.length
  const killed = total - survivors.length
  return { total, killed, survived: survivors.length, score: total === 0 ? 1 : killed / total, survivors, killedBy }
}
