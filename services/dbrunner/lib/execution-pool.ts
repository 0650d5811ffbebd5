// A pool of sandbox worker threads that run students' SQL. The main thread
// never runs SQL itself, so it keeps serving while queries run; a query that
// runs past the wall-time limit is stopped by terminating its worker, which
// is then replaced.

import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { BusyError, RunnerCrashError, TimeoutError, deserialiseRunError } from './run-errors.ts'
import type { CrashKind, WorkerReply, WorkerRequest, WorkerSettings } from './sandbox-worker.ts'
import { defaultLimits } from './sql-engine.ts'
import type { Limits, QueryResult } from './sql-engine.ts'

export interface ExecutionPoolOptions {
  /** number of workers; default max(4, available parallelism) */
  size?: number
  /** wall-time limit per job in ms; default 1000 */
  timeoutMs?: number
  limits?: Partial<Limits>
  /** most jobs waiting for a worker before BusyError; default 1000 */
  maxQueued?: number
  /** How long a job may wait for a free worker before it is refused as busy (ms). */
  maxWaitMs?: number
  /** schema images cached per worker; default 32 */
  cacheSize?: number
  /** V8 old-generation heap of each worker, in MiB; default 128 */
  workerHeapMb?: number
}

export interface RunJob {
  /** identifies the schema for the workers' image caches, e.g. a hash of initialSql */
  schemaKey: string
  initialSql: string
  query: string
}

export interface PoolStats {
  size: number
  busy: number
  queued: number
  /** workers replaced so far (timeouts, crashes, retirements) */
  restarts: number
}

type Request = WorkerRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never

interface Task {
  request: Request
  resolve: (result: QueryResult | null) => void
  reject: (error: Error) => void
  waiting?: NodeJS.Timeout
}

interface Slot {
  worker: Worker
  ready: boolean
  task: Task | null
  requestId: number
  timer: NodeJS.Timeout | undefined
  retired: boolean
}

const WORKER_URL = new URL('./sandbox-worker.ts', import.meta.url)

// Rejections that kill workers before they are ready (e.g. a broken engine)
// would otherwise respawn in a tight loop.
const MAX_START_FAILURES = 3

export class ExecutionPool {
  #size: number
  #timeoutMs: number
  #settings: WorkerSettings
  #maxQueued: number
  #maxWaitMs: number
  #workerHeapMb: number
  #slots: Slot[] = []
  #queue: Task[] = []
  #readyWaiters: Array<() => void> = []
  #restarts = 0
  #nextRequestId = 1
  #startFailures = 0
  #respawnTimer: NodeJS.Timeout | undefined
  #closed = false

  constructor (options: ExecutionPoolOptions = {}) {
    this.#size = Math.max(1, Math.floor(options.size ?? Math.max(4, availableParallelism())))
    this.#timeoutMs = options.timeoutMs ?? 1000
    this.#settings = {
      limits: { ...defaultLimits, ...options.limits },
      cacheSize: options.cacheSize ?? 32
    }
    this.#maxQueued = options.maxQueued ?? 1000
    this.#maxWaitMs = options.maxWaitMs ?? 10_000
    this.#workerHeapMb = options.workerHeapMb ?? 128
    for (let i = 0; i < this.#size; i++) this.#spawn()
  }

  /** Runs a student's query against the schema; rejects with a RunError subclass. */
  async run (job: RunJob): Promise<QueryResult> {
    const result = await this.#submit({ type: 'run', schemaKey: job.schemaKey, initialSql: job.initialSql, query: job.query })
    return result!
  }

  /** Checks that schema SQL builds; rejects with SchemaError (with the engine's message) when it does not. */
  async build (initialSql: string): Promise<void> {
    await this.#submit({ type: 'build', initialSql })
  }

  /** Test only: makes the worker that takes this job die while running it. */
  async crashWorkerForTest (how: CrashKind = 'throw'): Promise<void> {
    await this.#submit({ type: 'crash', how })
  }

  /** Resolves once every worker has loaded its engine. */
  ready (): Promise<void> {
    if (this.#closed || this.#slots.every(slot => slot.ready)) return Promise.resolve()
    return new Promise(resolve => this.#readyWaiters.push(resolve))
  }

  stats (): PoolStats {
    return {
      size: this.#size,
      busy: this.#slots.filter(slot => slot.task !== null).length,
      queued: this.#queue.length,
      restarts: this.#restarts
    }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#respawnTimer)
    const stopping: Array<Promise<unknown>> = []
    for (const task of this.#queue.splice(0)) {
      clearTimeout(task.waiting)
      task.reject(new BusyError('the SQL runner is shutting down'))
    }
    for (const slot of [...this.#slots]) {
      const task = slot.task
      stopping.push(this.#retire(slot))
      task?.reject(new BusyError('the SQL runner is shutting down'))
    }
    this.#notifyReady()
    await Promise.all(stopping)
  }

  #submit (request: Request): Promise<QueryResult | null> {
    if (this.#closed) return Promise.reject(new BusyError('the SQL runner is shut down'))
    if (this.#queue.length >= this.#maxQueued) return Promise.reject(new BusyError())
    return new Promise((resolve, reject) => {
      const task: Task = { request, resolve, reject }
      // The 1 s limit starts only on a worker: a job queued behind a flood
      // is refused as busy rather than left waiting without end.
      task.waiting = setTimeout(() => {
        const index = this.#queue.indexOf(task)
        if (index === -1) return
        this.#queue.splice(index, 1)
        reject(new BusyError())
      }, this.#maxWaitMs)
      task.waiting.unref()
      this.#queue.push(task)
      this.#dispatch()
    })
  }

  #spawn (): void {
    const worker = new Worker(WORKER_URL, {
      workerData: this.#settings satisfies WorkerSettings,
      // Plain Node loads the worker (type stripping is built in). Inherited
      // flags would bring the parent's loader hooks (test or APM
      // instrumentation), which slow every restart and take worker heap.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.#workerHeapMb, maxYoungGenerationSizeMb: 16 }
    })
    const slot: Slot = { worker, ready: false, task: null, requestId: 0, timer: undefined, retired: false }
    worker.on('message', (reply: WorkerReply) => this.#onReply(slot, reply))
    worker.on('error', () => this.#onDeath(slot))
    worker.on('exit', () => this.#onDeath(slot))
    // A starting or busy worker keeps the process alive; an idle one does not.
    this.#slots.push(slot)
  }

  #dispatch (): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find(candidate => candidate.ready && candidate.task === null && !candidate.retired)
      if (slot === undefined) return
      const task = this.#queue.shift()!
      clearTimeout(task.waiting)
      slot.task = task
      slot.requestId = this.#nextRequestId++
      slot.worker.ref()
      slot.timer = setTimeout(() => this.#onTimeout(slot), this.#timeoutMs)
      slot.worker.postMessage({ ...task.request, id: slot.requestId } as WorkerRequest)
    }
  }

  #onReply (slot: Slot, reply: WorkerReply): void {
    if (slot.retired) return
    if (reply.type === 'ready') {
      slot.ready = true
      slot.worker.unref()
      this.#startFailures = 0
      this.#notifyReady()
      this.#dispatch()
      return
    }
    const task = slot.task
    if (task === null || reply.id !== slot.requestId) return
    clearTimeout(slot.timer)
    slot.task = null
    slot.worker.unref()
    if (reply.type === 'done') task.resolve(reply.result)
    else task.reject(deserialiseRunError(reply.error))
    if (reply.retire) this.#replace(slot)
    this.#dispatch()
  }

  #onTimeout (slot: Slot): void {
    const task = slot.task
    this.#replace(slot)
    task?.reject(new TimeoutError(this.#timeoutMs))
  }

  #onDeath (slot: Slot): void {
    if (slot.retired) return
    const task = slot.task
    if (!slot.ready) this.#startFailures++
    this.#replace(slot)
    task?.reject(new RunnerCrashError())
  }

  #retire (slot: Slot): Promise<unknown> {
    slot.retired = true
    clearTimeout(slot.timer)
    slot.task = null
    const index = this.#slots.indexOf(slot)
    if (index !== -1) this.#slots.splice(index, 1)
    return slot.worker.terminate().catch(() => {})
  }

  /** Terminates a worker and starts another in its place. */
  #replace (slot: Slot): void {
    void this.#retire(slot)
    if (this.#closed) return
    this.#restarts++
    if (this.#startFailures < MAX_START_FAILURES) {
      this.#spawn()
      return
    }
    // Workers keep dying before they start: fail waiting jobs instead of
    // leaving them queued, and retry with a growing delay.
    for (const task of this.#queue.splice(0)) task.reject(new RunnerCrashError('the SQL runner could not start; please try again later'))
    const delay = Math.min(5000, 100 * 2 ** (this.#startFailures - MAX_START_FAILURES))
    this.#respawnTimer = setTimeout(() => {
      if (!this.#closed) this.#spawn()
    }, delay)
    this.#respawnTimer.unref()
  }

  #notifyReady (): void {
    if (!this.#closed && !this.#slots.every(slot => slot.ready)) return
    for (const resolve of this.#readyWaiters.splice(0)) resolve()
  }
}
