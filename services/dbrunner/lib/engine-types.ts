// The shapes the SQL engine takes and gives, shared by its parts.

export type Cell = string | null

/** A run's result, served as JSON exactly in this shape: `{"header":[...],"rows":[[...],...]}`. */
export interface QueryResult {
  header: string[]
  rows: Cell[][]
  truncated?: boolean
}

export interface Limits {
  /** most rows a result may have */
  maxRows: number
  /** most bytes a result may take as served: the UTF-8 bytes of its JSON text */
  maxResultBytes: number
  /** longest query text accepted, in UTF-8 bytes */
  maxQueryBytes: number
  /** cap on SQLite's heap, and on how far one run may grow the database */
  memoryBytes: number
}

export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxRows: 1000,
  maxResultBytes: 1024 * 1024,
  maxQueryBytes: 64 * 1024,
  memoryBytes: 64 * 1024 * 1024
})

export function formatBytes (bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}
