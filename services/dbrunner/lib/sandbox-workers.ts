// The sandbox worker threads of the execution pool: started on demand up to
// a bound, kept down to a minimum when idle, replaced when they die, time out
// or grow too big. Jobs themselves are the pool's business.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { WorkerReply, WorkerSettings } from './sandbox-worker.ts'

export interface SandboxWorkersOptions {
  url: URL
  settings: WorkerSettings
  /** most workers */
  size: number
  /** workers kept started even when idle */
  minWorkers: number
  /** a worker idle this long is retired, down to minWorkers (ms) */
  idleMs: number
  /** V8 old-generation heap of each worker, in MiB */
  heapMb: number
  /** a job reply (anything but 'ready') from a worker in service */
  onReply: (slot: Slot, reply: Exclude<WorkerReply, { type: 'ready' }>) => void
  /** a worker in service died (its job, if any, is still on the slot) */
  onDeath: (slot: Slot) => void
  /** a worker became ready: jobs may be dispatched */
  onReady: () => void
  /** workers keep dying before they start: waiting jobs should be failed */
  onStartFailure: () => void
}

export interface Slot {
  worker: Worker
  ready: boolean
  /** the job on this worker, owned by the pool */
  job: unknown
  requestId: number
  startedAt: number
  idleSince: number
  timer: NodeJS.Timeout | undefined
  retired: boolean
  /** size of the worker's WebAssembly memory, as it last reported it */
  wasmBytes: number | undefined
}

// Rejections that kill workers before they are ready (e.g. a broken engine)
// would otherwise respawn in a tight loop.
const MAX_START_FAILURES = 3

export class SandboxWorkers {
  #options: SandboxWorkersOptions
  #slots: Slot[] = []
  #readyWaiters: Array<() => void> = []
  #startFailures = 0
  #respawnTimer: NodeJS.Timeout | undefined
  #idleTimer: NodeJS.Timeout | undefined
  #closed = false
  // Node's compile cache for the workers, private to this pool (a shared
  // directory could be written by others): a worker that replaces one
  // stopped by a timeout then loads its TypeScript without stripping it
  // again (measured on 2 cores: 70 ms of CPU per start instead of 118).
  #compileCache = mkdtempSync(join(tmpdir(), 'playground-sandbox-'))
  restarts = 0
  idleRetired = 0

  constructor (options: SandboxWorkersOptions) {
    this.#options = options
    this.ensure(0)
  }

  get count (): number {
    return this.#slots.length
  }

  get busy (): number {
    return this.#slots.filter(slot => slot.job !== null).length
  }

  /** WebAssembly memory of the workers that reported it, in bytes (undefined when none did). */
  get wasmBytes (): number | undefined {
    const reported = this.#slots.map(slot => slot.wasmBytes).filter(bytes => bytes !== undefined)
    return reported.length === 0 ? undefined : reported.reduce((sum, bytes) => sum + bytes, 0)
  }

  /** A ready worker with no job, if any, while fewer than size jobs run. */
  free (): Slot | undefined {
    if (this.busy >= this.#options.size) return undefined
    return this.#slots.find(slot => slot.ready && slot.job === null && !slot.retired)
  }

  /**
   * Starts workers for the `waiting` jobs that could start now, up to size,
   * plus one spare while jobs run (past size when every worker is busy),
   * so that the worker of a job that times out is replaced at once:
   * a worker takes 80-300 ms to start. Never fewer than minWorkers.
   */
  ensure (waiting: number): void {
    if (this.#closed) return
    const target = this.#target(waiting)
    // The spare beyond size is only for when every worker is busy.
    while (this.#slots.length > Math.max(target, this.#options.size)) {
      const idle = this.#slots.filter(slot => slot.ready && slot.job === null)
      if (idle.length === 0) break
      // The one whose engine grew most goes.
      void this.#retire(idle.reduce((a, b) => (b.wasmBytes ?? 0) > (a.wasmBytes ?? 0) ? b : a))
    }
    if (this.#startFailures >= MAX_START_FAILURES) return
    while (this.#slots.length < target) this.#spawn()
  }

  #target (waiting: number): number {
    const { size, minWorkers } = this.#options
    const busy = this.busy
    const spare = busy > 0 ? 1 : 0
    return Math.max(minWorkers, Math.min(size, busy + waiting) + spare)
  }

  /** The slot's job is over and the worker serves on: it counts as idle from now. */
  idle (slot: Slot): void {
    slot.job = null
    slot.idleSince = performance.now()
    slot.worker.unref()
    this.#scheduleIdleCheck()
  }

  /** Terminates a worker (timed out, dead, or asked to go); the pool starts others as jobs need them. */
  replace (slot: Slot): void {
    void this.#retire(slot)
    if (this.#closed) return
    this.restarts++
    if (this.#startFailures < MAX_START_FAILURES) return
    // Workers keep dying before they start: the pool fails waiting jobs
    // instead of leaving them queued, and a worker is retried with a growing delay.
    this.#options.onStartFailure()
    const delay = Math.min(5000, 100 * 2 ** (this.#startFailures - MAX_START_FAILURES))
    clearTimeout(this.#respawnTimer)
    this.#respawnTimer = setTimeout(() => {
      if (!this.#closed) this.#spawn()
    }, delay)
    this.#respawnTimer.unref()
  }

  /** Resolves once the minimum number of workers has loaded its engine. */
  ready (): Promise<void> {
    if (this.#isReady()) return Promise.resolve()
    return new Promise(resolve => this.#readyWaiters.push(resolve))
  }

  /** Stops every worker; returns the jobs they had. */
  async close (): Promise<unknown[]> {
    this.#closed = true
    clearTimeout(this.#respawnTimer)
    clearTimeout(this.#idleTimer)
    const jobs = this.#slots.map(slot => slot.job).filter(job => job !== null)
    const stopping = [...this.#slots].map(slot => this.#retire(slot))
    this.#notifyReady()
    await Promise.all(stopping)
    rmSync(this.#compileCache, { recursive: true, force: true })
    return jobs
  }

  #spawn (): void {
    const { url, settings, heapMb } = this.#options
    const worker = new Worker(url, {
      workerData: settings satisfies WorkerSettings,
      // Plain Node loads the worker (type stripping is built in). Inherited
      // flags would bring the parent's loader hooks (test or APM
      // instrumentation), which slow every restart and take worker heap.
      execArgv: [],
      // Nothing of the service's environment (its connection strings) in
      // the thread that runs students' SQL; only the compile cache.
      env: { NODE_COMPILE_CACHE: this.#compileCache },
      // A run allocates little on the JS side (SQLite works in WebAssembly
      // memory): a small young generation, less memory per worker.
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 }
    })
    const slot: Slot = { worker, ready: false, job: null, requestId: 0, startedAt: 0, idleSince: 0, timer: undefined, retired: false, wasmBytes: undefined }
    worker.on('message', (reply: WorkerReply) => this.#onMessage(slot, reply))
    worker.on('error', () => this.#onDeath(slot))
    worker.on('exit', () => this.#onDeath(slot))
    // A starting or busy worker keeps the process alive; an idle one does not.
    this.#slots.push(slot)
  }

  #onMessage (slot: Slot, reply: WorkerReply): void {
    if (slot.retired) return
    if (reply.type !== 'ready') {
      this.#options.onReply(slot, reply)
      return
    }
    slot.ready = true
    this.#startFailures = 0
    this.idle(slot)
    this.#notifyReady()
    this.#options.onReady()
  }

  #onDeath (slot: Slot): void {
    if (slot.retired) return
    if (!slot.ready) this.#startFailures++
    this.#options.onDeath(slot)
  }

  #retire (slot: Slot): Promise<unknown> {
    slot.retired = true
    clearTimeout(slot.timer)
    slot.job = null
    const index = this.#slots.indexOf(slot)
    if (index !== -1) this.#slots.splice(index, 1)
    return slot.worker.terminate().catch(() => {})
  }

  // Retires workers idle longer than idleMs, longest idle first, down to the
  // minimum (or the spare, while jobs run).
  #scheduleIdleCheck (): void {
    const { idleMs } = this.#options
    if (this.#idleTimer !== undefined || this.#closed || this.#slots.length <= this.#target(0)) return
    const idle = this.#slots.filter(slot => slot.ready && slot.job === null)
    if (idle.length === 0) return
    const oldest = Math.min(...idle.map(slot => slot.idleSince))
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined
      const now = performance.now()
      const expired = this.#slots
        .filter(slot => slot.ready && slot.job === null && now - slot.idleSince >= idleMs)
        .sort((a, b) => a.idleSince - b.idleSince)
      for (const slot of expired) {
        if (this.#slots.length <= this.#target(0)) break
        void this.#retire(slot)
        this.idleRetired++
      }
      this.#scheduleIdleCheck()
    }, Math.max(0, oldest + idleMs - performance.now()))
    this.#idleTimer.unref()
  }

  #isReady (): boolean {
    return this.#closed || this.#slots.filter(slot => slot.ready).length >= this.#options.minWorkers
  }

  #notifyReady (): void {
    if (!this.#isReady()) return
    for (const resolve of this.#readyWaiters.splice(0)) resolve()
  }
}
