// Waiting jobs, queued per owner. Free workers go to the owner that used the
// least runner time lately (so a user with one quick query is not stuck
// behind others' runaway loops), round robin among equals, and an owner never
// has more than `concurrency` jobs running.

export interface FairQueueOptions {
  /** most jobs of one owner running at once; default 1 */
  concurrency?: number
  /** an owner's recent runner time; owners with less go first. Default: all equal (round robin). */
  usage?: (owner: string) => number
}

export class FairQueue<T> {
  // Map order is the round-robin order: an owner served moves to the back.
  #waiting = new Map<string, T[]>()
  #running = new Map<string, number>()
  #concurrency: number
  #usage: (owner: string) => number
  #size = 0

  constructor (options: FairQueueOptions = {}) {
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
    this.#usage = options.usage ?? (() => 0)
  }

  /** Jobs waiting, all owners together. */
  get size (): number {
    return this.#size
  }

  /** Owners with at least one job waiting. */
  get owners (): number {
    return this.#waiting.size
  }

  /** Jobs waiting for this owner. */
  waitingOf (owner: string): number {
    return this.#waiting.get(owner)?.length ?? 0
  }

  /** Jobs running for this owner. */
  runningOf (owner: string): number {
    return this.#running.get(owner) ?? 0
  }

  push (owner: string, item: T): void {
    const items = this.#waiting.get(owner)
    if (items === undefined) this.#waiting.set(owner, [item])
    else items.push(item)
    this.#size++
  }

  /** Takes a waiting item out (it gave up waiting); false when it was not waiting. */
  remove (owner: string, item: T): boolean {
    const items = this.#waiting.get(owner)
    const index = items?.indexOf(item) ?? -1
    if (items === undefined || index === -1) return false
    items.splice(index, 1)
    if (items.length === 0) this.#waiting.delete(owner)
    this.#size--
    return true
  }

  /**
   * The next item to start, counted as running for its owner until `finished`;
   * undefined when every waiting owner is at its concurrency.
   */
  take (): { owner: string, item: T } | undefined {
    let best: string | undefined
    let bestUsage = Infinity
    for (const owner of this.#waiting.keys()) {
      if (this.runningOf(owner) >= this.#concurrency) continue
      const usage = this.#usage(owner)
      if (usage < bestUsage) {
        best = owner
        bestUsage = usage
      }
    }
    if (best === undefined) return undefined
    const items = this.#waiting.get(best)!
    const item = items.shift()!
    this.#waiting.delete(best)
    if (items.length > 0) this.#waiting.set(best, items)
    this.#size--
    this.#running.set(best, this.runningOf(best) + 1)
    return { owner: best, item }
  }

  /** A job taken with `take` has ended. */
  finished (owner: string): void {
    const running = this.runningOf(owner) - 1
    if (running > 0) this.#running.set(owner, running)
    else this.#running.delete(owner)
  }

  /** How many waiting jobs could start now if there were workers for them. */
  startable (): number {
    let count = 0
    for (const [owner, items] of this.#waiting) count += Math.min(items.length, Math.max(0, this.#concurrency - this.runningOf(owner)))
    return count
  }

  /** Empties the queue and returns every waiting item. */
  drain (): T[] {
    const items = [...this.#waiting.values()].flat()
    this.#waiting.clear()
    this.#size = 0
    return items
  }
}
