// runSql and same for the dataset tools, on the in-process engine: images
// are built once per database SQL, and results compare as a question without
// ORDER BY grades them.
import { compareResults } from '../../services/dbrunner/lib/grading.ts'
import { inProcessRuns } from '../../services/dbrunner/lib/in-process-runs.ts'
import type { QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import type { SameResult } from '../../services/dbrunner/lib/sql-literals.ts'

export const { runSql } = await inProcessRuns(256)

export const sameUnordered: SameResult = (expected: QueryResult, actual: QueryResult) => compareResults(expected, actual, { ordered: false }).same
