// A sliding-window limit per key (a user id): at most `limit` events in any
// `windowMs`. Kept in this process: the gateway is the one entrypoint.
export interface RateDecision {
  allowed: boolean
  retryAfterSeconds: number
}

export class RateLimiter {
  #limit: number
  #windowMs: number
  #events = new Map<string, number[]>()
  #now: () => number

  constructor (options: { limit: number, windowMs: number, now?: () => number }) {
    this.#limit = options.limit
    this.#windowMs = options.windowMs
    this.#now = options.now ?? Date.now
  }

  take (key: string): RateDecision {
    const now = this.#now()
    const since = now - this.#windowMs
    const recent = (this.#events.get(key) ?? []).filter(at => at > since)
    if (recent.length >= this.#limit) {
      this.#events.set(key, recent)
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + this.#windowMs - now) / 1000)) }
    }
    recent.push(now)
    this.#events.set(key, recent)
    if (this.#events.size > 50_000) this.#sweep(since)
    return { allowed: true, retryAfterSeconds: 0 }
  }

  #sweep (since: number) {
    for (const [key, events] of this.#events) {
      if (events.every(at => at <= since)) this.#events.delete(key)
    }
  }
}
