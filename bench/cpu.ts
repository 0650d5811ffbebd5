// Where the CPU of a request goes: the runtime process's CPU time (all its
// threads, from /proc) and each application thread's (Platformatic's
// `thread_cpu_seconds_total`, by application), read before and after a load
// and divided by the requests it served. What the application threads do not
// account for is the main thread (the runtime's own work, the metrics
// endpoint) and V8's and libuv's helper threads (GC, compilation, the
// thread pool).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** User + system CPU seconds of a process, all its threads together. */
export function processCpuSeconds (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

/** CPU seconds of each application's threads, from the runtime's Prometheus endpoint. */
export async function threadCpuSeconds (metricsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) })).text()
  const byApplication: Record<string, number> = {}
  for (const line of text.split('\n')) {
    if (!line.startsWith('thread_cpu_seconds_total{')) continue
    const application = /applicationId="([^"]+)"/.exec(line)?.[1] ?? 'unknown'
    byApplication[application] = (byApplication[application] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return byApplication
}

export interface CpuSample {
  process: number
  threads: Record<string, number>
}

export async function sampleCpu (pid: number, metricsUrl?: string): Promise<CpuSample> {
  return { process: processCpuSeconds(pid), threads: metricsUrl === undefined ? {} : await threadCpuSeconds(metricsUrl) }
}

/** CPU microseconds per request between two samples: the process, each application thread, and the rest. */
export function cpuPerRequest (before: CpuSample, after: CpuSample, requests: number): Record<string, number> {
  const us = (seconds: number) => Math.round(seconds * 1e6 / Math.max(1, requests))
  const threads = Object.fromEntries(Object.keys(after.threads).sort().map(name => [name, us(after.threads[name]! - (before.threads[name] ?? 0))]))
  const total = us(after.process - before.process)
  const accounted = Object.values(threads).reduce((sum, value) => sum + value, 0)
  return Object.keys(threads).length === 0 ? { process: total } : { process: total, ...threads, 'main thread and helpers': total - accounted }
}
