// Runs on the engine in this process, for the tools and tests that need no
// running system: each database's image is built once (bank questions and
// test cases share their schemas), and a run answers as the runner's
// analyses see runs: a result, or why the query (or the database) fails.
import { SchemaError } from './run-errors.ts'
import { buildImage, loadEngine, runQuery } from './sql-engine.ts'
import type { RunSql } from './sql-literals.ts'

export interface InProcessRuns {
  runSql: RunSql
  /** the database's image, or why its SQL does not build */
  imageOf: (database: string) => Uint8Array | SchemaError
}

export async function inProcessRuns (maxImages = 64): Promise<InProcessRuns> {
  await loadEngine()
  const images = new Map<string, Uint8Array | SchemaError>()
  const imageOf = (database: string): Uint8Array | SchemaError => {
    let image = images.get(database)
    if (image === undefined) {
      try {
        image = buildImage(database)
      } catch (error) {
        if (!(error instanceof SchemaError)) throw error
        image = error
      }
      if (images.size >= maxImages) images.delete(images.keys().next().value!)
      images.set(database, image)
    }
    return image
  }
  const runSql: RunSql = async (database, query) => {
    const image = imageOf(database)
    if (image instanceof SchemaError) return { error: image.message }
    try {
      return runQuery(image, query)
    } catch (error) {
      return { error: (error as Error).message }
    }
  }
  return { runSql, imageOf }
}
