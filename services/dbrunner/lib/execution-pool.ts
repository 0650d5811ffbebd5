// A pool of sandbox worker threads that run students' SQL. The main thread
// never runs SQL itself, so it keeps serving while queries run; a query that
// runs past the wall-time limit is stopped by terminating its worker, which
// is then replaced. Workers start when jobs wait and retire when idle
// (sandbox-workers.ts); jobs are shared fairly between their owners: one
// running job per owner, the owner that used the least runner time lately
// served first (fair-queue.ts), and a budget of runner time per owner per
// minute (runner-budget.ts).

import { availableParallelism } from 'node:os'
import { FairQueue } from './fair-queue.ts'
import { BudgetError, BusyError, RunnerCrashError, TimeoutError, deserialiseRunError } from './run-errors.ts'
import { RunnerBudget } from './runner-budget.ts'
import type { CrashKind, WorkerReply, WorkerRequest } from './sandbox-worker.ts'
import { SandboxWorkers, type Slot } from './sandbox-workers.ts'
import { defaultLimits } from './sql-engine.ts'
import type { Limits, QueryResult } from './sql-engine.ts'

export interface ExecutionPoolOptions {
  /** most workers, i.e. most jobs running at once; default max(4, available parallelism) */
  size?: number
  /** workers kept started even when idle; default 1 (at most size) */
  minWorkers?: number
  /** a worker idle this long is retired, down to minWorkers (ms); default 60 000 */
  idleMs?: number
  /** a worker whose WebAssembly memory grew past this is replaced after its job (bytes); default 64 MiB */
  maxWorkerWasmBytes?: number
  /** wall-time limit per job in ms; default 1000 */
  timeoutMs?: number
  limits?: Partial<Limits>
  /** most jobs waiting for a worker before BusyError; default 1000 */
  maxQueued?: number
  /** How long a job may wait for a free worker before it is refused as busy (ms). */
  maxWaitMs?: number
  /** most jobs of one owner running at once; default 1 */
  ownerConcurrency?: number
  /** most worker time per owner per sliding minute (ms), a timeout counting as the whole time limit; 0: no limit. Default 10 000 */
  ownerBudgetMs?: number
  /** clock of the budget's sliding minute (tests inject one); default Date.now */
  now?: () => number
  /**
   * Owners whose jobs are never refused for their budget (background work
   * such as a question's quality report); their time still counts, so they
   * go after owners who used less.
   */
  exemptFromBudget?: (owner: string) => boolean
  /** told when a job gets a worker, with how long it waited (ms): for metrics and tests */
  onJobStart?: (owner: string, waitedMs: number) => void
  /** schema images cached per worker; default 32 */
  cacheSize?: number
  /** V8 old-generation heap of each worker, in MiB; default 128 */
  workerHeapMb?: number
  /** entry point of the workers (tests only) */
  workerUrl?: URL
}

export interface RunJob {
  /** identifies the schema for the workers' image caches, e.g. a hash of initialSql */
  schemaKey: string
  initialSql: string
  query: string
  /** whose job this is, for fair shares: a user id, or e.g. 'teacher:<id>', 'system'; default 'anonymous' */
  owner?: string
}

export interface PoolStats {
  /** most workers (the concurrency bound) */
  size: number
  /** workers started or starting */
  workers: number
  busy: number
  queued: number
  /** owners with jobs waiting */
  ownersWaiting: number
  /** workers replaced so far (timeouts, crashes, retirements, memory bound); idle retirements are not counted */
  restarts: number
  /** workers retired for being idle */
  idleRetired: number
  /** WebAssembly memory of the workers, in bytes, as they last reported it (absent until one does) */
  wasmBytes?: number
}

type Request = WorkerRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never

interface Task {
  owner: string
  request: Request
  resolve: (result: QueryResult | null) => void
  reject: (error: Error) => void
  queuedAt: number
  waiting?: NodeJS.Timeout
}

const MIB = 1024 * 1024

export class ExecutionPool {
  #size: number
  #timeoutMs: number
  #maxWasmBytes: number
  #maxQueued: number
  #maxWaitMs: number
  #onJobStart: ((owner: string, waitedMs: number) => void) | undefined
  #budget: RunnerBudget
  #exemptFromBudget: (owner: string) => boolean
  #queue: FairQueue<Task>
  #workers: SandboxWorkers
  #nextRequestId = 1
  #closed = false

  constructor (options: ExecutionPoolOptions = {}) {
    this.#size = Math.max(1, Math.floor(options.size ?? Math.max(4, availableParallelism())))
    this.#timeoutMs = options.timeoutMs ?? 1000
    this.#maxWasmBytes = options.maxWorkerWasmBytes ?? 64 * MIB
    this.#maxQueued = options.maxQueued ?? 1000
    this.#maxWaitMs = options.maxWaitMs ?? 10_000
    this.#onJobStart = options.onJobStart
    this.#exemptFromBudget = options.exemptFromBudget ?? (() => false)
    this.#budget = new RunnerBudget({ limitMs: options.ownerBudgetMs ?? 10_000, now: options.now })
    this.#queue = new FairQueue({ concurrency: options.ownerConcurrency ?? 1, usage: owner => this.#budget.spentMs(owner) })
    this.#workers = new SandboxWorkers({
      url: options.workerUrl ?? new URL('./sandbox-worker.ts', import.meta.url),
      settings: { limits: { ...defaultLimits, ...options.limits }, cacheSize: options.cacheSize ?? 32 },
      size: this.#size,
      minWorkers: Math.min(this.#size, Math.max(0, Math.floor(options.minWorkers ?? 1))),
      idleMs: options.idleMs ?? 60_000,
      heapMb: options.workerHeapMb ?? 128,
      onReply: (slot, reply) => this.#onReply(slot, reply),
      onDeath: slot => this.#onDeath(slot),
      onReady: () => this.#dispatch(),
      onStartFailure: () => this.#failWaiting()
    })
  }

  /** Runs a student's query against the schema; rejects with a RunError subclass. */
  async run (job: RunJob): Promise<QueryResult> {
    const result = await this.#submit(job.owner, { type: 'run', schemaKey: job.schemaKey, initialSql: job.initialSql, query: job.query })
    return result!
  }

  /** Checks that schema SQL builds; rejects with SchemaError (with the engine's message) when it does not. */
  async build (initialSql: string, owner?: string): Promise<void> {
    await this.#submit(owner, { type: 'build', initialSql })
  }

  /** Test only: makes the worker that takes this job die while running it. */
  async crashWorkerForTest (how: CrashKind = 'throw', owner = 'crash-test'): Promise<void> {
    await this.#submit(owner, { type: 'crash', how })
  }

  /** Resolves once the minimum number of workers has loaded its engine. */
  ready (): Promise<void> {
    return this.#workers.ready()
  }

  /** The owner's runner time in the budget's window, in ms: who goes first when workers are scarce. */
  spentMs (owner: string): number {
    return this.#budget.spentMs(owner)
  }

  stats (): PoolStats {
    const wasmBytes = this.#workers.wasmBytes
    return {
      size: this.#size,
      workers: this.#workers.count,
      busy: this.#workers.busy,
      queued: this.#queue.size,
      ownersWaiting: this.#queue.owners,
      restarts: this.#workers.restarts,
      idleRetired: this.#workers.idleRetired,
      ...(wasmBytes === undefined ? {} : { wasmBytes })
    }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const waiting = this.#queue.drain()
    const running = this.#workers.close()
    for (const task of waiting) {
      clearTimeout(task.waiting)
      task.reject(new BusyError('the SQL runner is shutting down'))
    }
    for (const task of await running as Task[]) task.reject(new BusyError('the SQL runner is shutting down'))
  }

  #submit (owner = 'anonymous', request: Request): Promise<QueryResult | null> {
    if (this.#closed) return Promise.reject(new BusyError('the SQL runner is shut down'))
    const refusal = this.#budgetRefusal(owner)
    if (refusal !== undefined) return Promise.reject(refusal)
    if (this.#queue.size >= this.#maxQueued) return Promise.reject(new BusyError())
    return new Promise((resolve, reject) => {
      const task: Task = { owner, request, resolve, reject, queuedAt: performance.now() }
      // The 1 s limit starts only on a worker: a job queued behind a flood
      // is refused as busy rather than left waiting without end.
      task.waiting = setTimeout(() => {
        if (this.#queue.remove(owner, task)) reject(new BusyError())
      }, this.#maxWaitMs)
      task.waiting.unref()
      this.#queue.push(owner, task)
      this.#dispatch()
    })
  }

  #budgetRefusal (owner: string): BudgetError | undefined {
    if (this.#exemptFromBudget(owner)) return undefined
    const waitMs = this.#budget.waitMs(owner)
    return waitMs > 0 ? new BudgetError(waitMs / 1000, this.#budget.limitMs) : undefined
  }

  #dispatch (): void {
    while (this.#queue.size > 0) {
      const slot = this.#workers.free()
      if (slot === undefined) break
      const next = this.#queue.take()
      if (next === undefined) break
      const task = next.item
      clearTimeout(task.waiting)
      // Jobs queued before their owner's time ran out are refused when their turn comes.
      const refusal = this.#budgetRefusal(task.owner)
      if (refusal !== undefined) {
        this.#queue.finished(task.owner)
        task.reject(refusal)
        continue
      }
      slot.job = task
      slot.requestId = this.#nextRequestId++
      slot.startedAt = performance.now()
      slot.worker.ref()
      slot.timer = setTimeout(() => this.#onTimeout(slot), this.#timeoutMs)
      slot.worker.postMessage({ ...task.request, id: slot.requestId } as WorkerRequest)
      this.#onJobStart?.(task.owner, slot.startedAt - task.queuedAt)
    }
    this.#workers.ensure(this.#queue.startable())
  }

  /** Takes the job off its worker and charges its owner `costMs` of runner time. */
  #finish (slot: Slot, costMs: number): Task | null {
    const task = slot.job as Task | null
    clearTimeout(slot.timer)
    slot.job = null
    if (task !== null) {
      this.#queue.finished(task.owner)
      this.#budget.spend(task.owner, costMs)
    }
    return task
  }

  #onReply (slot: Slot, reply: Exclude<WorkerReply, { type: 'ready' }>): void {
    if (slot.job === null || reply.id !== slot.requestId) return
    const task = this.#finish(slot, performance.now() - slot.startedAt)!
    if (reply.type === 'done') task.resolve(reply.result)
    else task.reject(deserialiseRunError(reply.error))
    // A worker's WebAssembly memory only grows: one that a heavy query grew
    // past the bound is replaced rather than kept at that size.
    const wasmBytes = (reply as { wasmBytes?: number }).wasmBytes
    slot.wasmBytes = wasmBytes ?? slot.wasmBytes
    if (reply.retire || (wasmBytes !== undefined && wasmBytes > this.#maxWasmBytes)) this.#workers.replace(slot)
    else this.#workers.idle(slot)
    this.#dispatch()
  }

  #onTimeout (slot: Slot): void {
    // A timeout spends the whole time limit of its owner's budget.
    const task = this.#finish(slot, this.#timeoutMs)
    this.#workers.replace(slot)
    task?.reject(new TimeoutError(this.#timeoutMs))
    this.#dispatch()
  }

  #onDeath (slot: Slot): void {
    const task = this.#finish(slot, slot.job === null ? 0 : performance.now() - slot.startedAt)
    this.#workers.replace(slot)
    task?.reject(new RunnerCrashError())
    this.#dispatch()
  }

  #failWaiting (): void {
    for (const task of this.#queue.drain()) {
      clearTimeout(task.waiting)
      task.reject(new RunnerCrashError('the SQL runner could not start; please try again later'))
    }
  }
}
