// A small seeded random generator (mulberry32): the same seed gives the same
// sequence, so generated datasets and shuffled dumps can be made again.

export interface SeededRandom {
  /** a float in [0, 1) */
  next (): number
  /** an integer in [0, n) */
  below (n: number): number
  /** an integer in [min, max] */
  int (min: number, max: number): number
  pick<T> (items: readonly T[]): T
  chance (probability: number): boolean
  shuffle<T> (items: readonly T[]): T[]
}

export function seededRandom (seed: number): SeededRandom {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const below = (n: number) => Math.floor(next() * n)
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = below(i + 1)
      ;[out[i], out[j]] = [out[j], out[i]]
    }
    return out
  }
  const int = (min: number, max: number) => min + below(max - min + 1)
  return { next, below, int, pick: items => items[below(items.length)], chance: probability => next() < probability, shuffle }
}

/** A 32-bit seed from text (FNV-1a), so a seed can follow from the input. */
export function seedOf (text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
