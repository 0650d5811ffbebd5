// runSql and same for the dataset tools, on the in-process engine: images
// are built once per database SQL, and results compare as a question without
// ORDER BY grades them.
import { compareResults } from '../../services/dbrunner/lib/grading.ts'
import { buildImage, loadEngine, runQuery, type QueryResult } from '../../services/dbrunner/lib/sql-engine.ts'
import type { RunSql, SameResult } from '../../services/dbrunner/lib/sql-literals.ts'

await loadEngine()

const images = new Map<string, Uint8Array | Error>()

function imageOf (database: string): Uint8Array | Error {
  let image = images.get(database)
  if (image === undefined) {
    try {
      image = buildImage(database)
    } catch (error) {
      image = error as Error
    }
    if (images.size >= 256) images.delete(images.keys().next().value!)
    images.set(database, image)
  }
  return image
}

export const runSql: RunSql = async (database, query) => {
  const image = imageOf(database)
  if (image instanceof Error) return { error: image.message }
  try {
    return runQuery(image, query)
  } catch (error) {
    return { error: (error as Error).message }
  }
}

export const sameUnordered: SameResult = (expected: QueryResult, actual: QueryResult) => compareResults(expected, actual, { ordered: false }).same
