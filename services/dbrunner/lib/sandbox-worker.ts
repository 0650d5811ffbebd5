// Entry point of a sandbox worker thread (see execution-pool.ts). It owns one
// sql.js engine, caches schema images by key and runs one job at a time.
// Runaway queries are not stopped here: the pool terminates the whole thread.

import { lowerThreadPriority } from './thread-priority.ts'
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { RunError, RunnerCrashError, serialiseRunError } from './run-errors.ts'
import type { SerialisedRunError } from './run-errors.ts'
import { buildImage, engineMemoryBytes, isEnginePoisoned, loadEngine, provokeEngineFaultForTest, runQuery } from './sql-engine.ts'
import type { Limits, QueryResult } from './sql-engine.ts'

// 'engine-fault' makes SQLite trap inside a job, as a broken engine would;
// the others end the thread itself.
export type CrashKind = 'throw' | 'exit' | 'oom' | 'engine-fault'

export type WorkerRequest =
  | { type: 'run', id: number, schemaKey: string, initialSql: string, query: string }
  | { type: 'build', id: number, initialSql: string }
  // test only: makes the worker die the given way while a job is in flight
  | { type: 'crash', id: number, how: CrashKind }

// `retire`: the worker must not serve again (its engine faulted or was
// changed engine-wide). `wasmBytes`: its WebAssembly memory, which only grows.
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done', id: number, result: QueryResult | null, retire: boolean, wasmBytes: number }
  | { type: 'failed', id: number, error: SerialisedRunError, retire: boolean, wasmBytes: number }

export interface WorkerSettings {
  limits: Limits
  cacheSize: number
}

/** Least-recently-used map of schema images. */
class ImageCache {
  #images = new Map<string, Uint8Array>()
  #capacity: number

  constructor (capacity: number) {
    this.#capacity = Math.max(1, capacity)
  }

  get (key: string, initialSql: string): Uint8Array {
    let image = this.#images.get(key)
    if (image !== undefined) {
      this.#images.delete(key)
    } else {
      image = buildImage(initialSql)
      if (this.#images.size >= this.#capacity) this.#images.delete(this.#images.keys().next().value!)
    }
    this.#images.set(key, image)
    return image
  }
}

function crash (how: CrashKind): void {
  if (how === 'exit') process.exit(70)
  if (how === 'throw') {
    setImmediate(() => { throw new Error('sandbox worker crash requested by a test') })
    return
  }
  // Grow the JS heap until the worker's resourceLimits stop it.
  const hog: number[][] = []
  while (true) hog.push(new Array<number>(1 << 20).fill(hog.length + 0.5))
}

async function main (port: MessagePort, settings: WorkerSettings): Promise<void> {
  // Below the request path before the engine loads: a runaway query's
  // replacement worker must not take its start from the API's CPU either.
  lowerThreadPriority()
  await loadEngine()
  const cache = new ImageCache(settings.cacheSize)

  port.on('message', (request: WorkerRequest) => {
    let reply: WorkerReply
    try {
      if (request.type === 'crash') {
        if (request.how === 'engine-fault') provokeEngineFaultForTest()
        crash(request.how)
        return
      }
      const result = request.type === 'run'
        ? runQuery(cache.get(request.schemaKey, request.initialSql), request.query, settings.limits)
        : (buildImage(request.initialSql), null)
      reply = { type: 'done', id: request.id, result, retire: isEnginePoisoned(), wasmBytes: engineMemoryBytes() }
    } catch (error) {
      // Anything but a RunError is a bug: report a crash and ask to be
      // replaced rather than serve more runs. Engine faults come as
      // EngineFaultError and have poisoned the engine.
      const known = error instanceof RunError
      reply = {
        type: 'failed',
        id: request.id,
        error: serialiseRunError(known ? error : new RunnerCrashError()),
        retire: !known || isEnginePoisoned(),
        wasmBytes: engineMemoryBytes()
      }
    }
    port.postMessage(reply)
  })
  port.postMessage({ type: 'ready' } satisfies WorkerReply)
}

if (!isMainThread && parentPort !== null) {
  await main(parentPort, workerData as WorkerSettings)
}
