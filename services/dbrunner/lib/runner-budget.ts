// Runner time per owner over a sliding window (a minute by default). The pool
// charges each finished job's worker time here, refuses owners past their
// limit, and schedules owners that used less time first.

export interface RunnerBudgetOptions {
  /** most worker time per owner per window, in ms; 0 turns the limit off (usage is still tracked) */
  limitMs: number
  /** length of the sliding window, in ms; default 60 000 */
  windowMs?: number
  /** clock in ms (tests inject one); default Date.now */
  now?: () => number
}

// Time is kept in 60 buckets per window rather than one entry per job, so an
// owner's record stays small however many jobs it runs.
const BUCKETS_PER_WINDOW = 60

interface Bucket {
  index: number
  ms: number
}

export class RunnerBudget {
  readonly limitMs: number
  readonly windowMs: number
  #bucketMs: number
  #now: () => number
  #owners = new Map<string, Bucket[]>()
  #lastSweep: number

  constructor (options: RunnerBudgetOptions) {
    this.limitMs = Math.max(0, options.limitMs)
    this.windowMs = Math.max(BUCKETS_PER_WINDOW, options.windowMs ?? 60_000)
    this.#bucketMs = this.windowMs / BUCKETS_PER_WINDOW
    this.#now = options.now ?? Date.now
    this.#lastSweep = this.#now()
  }

  /** Charges `ms` of worker time to `owner`, now. */
  spend (owner: string, ms: number): void {
    if (!(ms > 0)) return
    const now = this.#now()
    const index = Math.floor(now / this.#bucketMs)
    const buckets = this.#live(owner, now) ?? []
    const last = buckets.at(-1)
    if (last?.index === index) last.ms += ms
    else buckets.push({ index, ms })
    this.#owners.set(owner, buckets)
    if (now - this.#lastSweep >= this.windowMs) this.#sweep(now)
  }

  /** Worker time the owner used within the window, in ms. */
  spentMs (owner: string): number {
    let total = 0
    for (const bucket of this.#live(owner, this.#now()) ?? []) total += bucket.ms
    return total
  }

  /** 0 when the owner may run now; otherwise how long until enough of its time has expired, in ms. */
  waitMs (owner: string): number {
    if (this.limitMs === 0) return 0
    const now = this.#now()
    const buckets = this.#live(owner, now) ?? []
    let spent = buckets.reduce((sum, bucket) => sum + bucket.ms, 0)
    for (const bucket of buckets) {
      if (spent < this.limitMs) break
      spent -= bucket.ms
      if (spent < this.limitMs) return this.#expiry(bucket) - now
    }
    return 0
  }

  /** Owners with time in the window (for stats). */
  get owners (): number {
    this.#sweep(this.#now())
    return this.#owners.size
  }

  // A bucket counts until a whole window has passed since its end.
  #expiry (bucket: Bucket): number {
    return (bucket.index + 1) * this.#bucketMs + this.windowMs
  }

  #live (owner: string, now: number): Bucket[] | undefined {
    const buckets = this.#owners.get(owner)
    if (buckets === undefined) return undefined
    let expired = 0
    while (expired < buckets.length && this.#expiry(buckets[expired]) <= now) expired++
    if (expired > 0) buckets.splice(0, expired)
    if (buckets.length === 0) {
      this.#owners.delete(owner)
      return undefined
    }
    return buckets
  }

  // Forgets owners that have not run within the window.
  #sweep (now: number): void {
    this.#lastSweep = now
    for (const owner of [...this.#owners.keys()]) this.#live(owner, now)
  }
}
