// How the bench measures: HTTP load through autocannon, bare loops in this
// process, and RSS sampling from /proc. Latencies of both kinds go through the
// same percentile code so their figures compare.
import autocannon, { type Request } from 'autocannon'
import { readFileSync } from 'node:fs'

export const CONNECTIONS = 10
export const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5)
export const WARMUP_S = 2
// Hard caps so no loop can run away even if the clock misbehaves.
const MAX_LOOP_ITERATIONS = 2_000_000
export const REQUEST_TIMEOUT_S = 10

export interface Measure {
  /** successful operations per second */
  perSecond: number
  p50Ms: number
  p99Ms: number
  ok: number
  failed: number
  statuses?: Record<string, number>
  durationS: number
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))
  return sorted[index] as number
}

export const round = (value: number, digits = 2) => Number.isFinite(value) ? Number(value.toFixed(digits)) : value

function summarise (latencies: number[], ok: number, failed: number, durationS: number, statuses?: Record<string, number>): Measure {
  const sorted = latencies.sort((a, b) => a - b)
  return {
    perSecond: round(ok / durationS, 1),
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    ok,
    failed,
    ...(statuses ? { statuses } : {}),
    durationS: round(durationS, 2)
  }
}

export interface HttpLoad {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** a fresh request each time (e.g. a new query) */
  setupRequest?: Request['setupRequest']
  durationS?: number
  /** default CONNECTIONS; 1 measures latency without queueing */
  connections?: number
}

// autocannon drives the load; latencies come from its per-response event
// (hrtime, in ms, fractional) so HTTP and bare loops use the same percentiles.
export async function httpLoad (load: HttpLoad): Promise<Measure & { bytesPerResponse: number }> {
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  let bytes = 0
  const statuses: Record<string, number> = {}
  const request: Request = { method: load.method ?? 'GET', headers: load.headers, body: load.body }
  if (load.setupRequest) request.setupRequest = load.setupRequest
  const started = performance.now()
  const instance = autocannon({
    url: load.url,
    connections: load.connections ?? CONNECTIONS,
    duration: load.durationS ?? DURATION_S,
    timeout: REQUEST_TIMEOUT_S,
    requests: [request]
  })
  instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    if (statusCode >= 200 && statusCode < 300) {
      ok++
      bytes += resBytes
      latencies.push(responseTime)
    } else {
      failed++
    }
  })
  const result = await instance
  failed += result.errors
  if (result.errors > 0) statuses.connection_errors = result.errors
  const durationS = (performance.now() - started) / 1000
  return { ...summarise(latencies, ok, failed, durationS, statuses), bytesPerResponse: ok ? Math.round(bytes / ok) : 0 }
}

/** `connections` concurrent loops of `op` for the duration (and at most MAX_LOOP_ITERATIONS ops). */
export async function concurrentLoop (op: () => Promise<unknown>, durationS = DURATION_S, connections = CONNECTIONS): Promise<Measure> {
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  let count = 0
  const started = performance.now()
  const end = started + durationS * 1000
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end && count++ < MAX_LOOP_ITERATIONS) {
      const at = performance.now()
      try {
        await op()
        latencies.push(performance.now() - at)
        ok++
      } catch {
        failed++
      }
    }
  }))
  return summarise(latencies, ok, failed, (performance.now() - started) / 1000)
}

/** One synchronous operation after another on this thread, for the duration. */
export function serialLoop (op: (i: number) => void, durationS = DURATION_S): Measure {
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  const started = performance.now()
  const end = started + durationS * 1000
  for (let i = 0; i < MAX_LOOP_ITERATIONS && performance.now() < end; i++) {
    const at = performance.now()
    try {
      op(i)
      latencies.push(performance.now() - at)
      ok++
    } catch {
      failed++
    }
  }
  return summarise(latencies, ok, failed, (performance.now() - started) / 1000)
}

export const ratio = (a: number, b: number) => round(a / b, 3)

// Memory: the runtime is one process (its applications and the SQL runner's
// sandboxes are worker threads), so its RSS covers all of them. Descendants
// are added in case it ever spawns any; PostgreSQL and Redis are started by
// the bench, not by the runtime, and are reported apart.

function rssKiB (pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0)
  } catch {
    return 0
  }
}

function descendants (pid: number): number[] {
  const found: number[] = []
  const queue = [pid]
  while (queue.length > 0 && found.length < 1000) {
    const parent = queue.shift() as number
    let children: string
    try {
      children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8')
    } catch {
      continue
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

export const treeRssKiB = (pid: number) => [pid, ...descendants(pid)].reduce((sum, each) => sum + rssKiB(each), 0)

export class MemorySampler {
  #timer: NodeJS.Timeout
  #phase = 'start'
  peakKiB = 0
  backingPeakKiB = 0
  byPhase: Record<string, number> = {}
  samples = 0

  constructor (runtimePid: number, backingPids: number[], everyMs = 200) {
    this.#timer = setInterval(() => {
      const rss = treeRssKiB(runtimePid)
      const backing = backingPids.reduce((sum, pid) => sum + treeRssKiB(pid), 0)
      this.samples++
      this.peakKiB = Math.max(this.peakKiB, rss)
      this.backingPeakKiB = Math.max(this.backingPeakKiB, backing)
      this.byPhase[this.#phase] = Math.max(this.byPhase[this.#phase] ?? 0, rss)
    }, everyMs)
    this.#timer.unref()
  }

  phase (name: string) { this.#phase = name }
  stop () { clearInterval(this.#timer) }
}

export const mib = (kib: number) => round(kib / 1024, 1)
