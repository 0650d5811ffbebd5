// Identical work requested while it is already under way shares the one
// promise instead of running again.
export class SingleFlight<T> {
  #inFlight = new Map<string, Promise<T>>()

  run (key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key)
    if (running) return running
    const started = work().finally(() => this.#inFlight.delete(key))
    this.#inFlight.set(key, started)
    return started
  }

  get size (): number {
    return this.#inFlight.size
  }
}
