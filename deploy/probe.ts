// The container's health check: asks this instance's gateway for a path
// (/healthz by default) on loopback and exits 0 when it answers 200, 1
// otherwise. In the image because it has no curl or wget.
//
//   node deploy/probe.ts [/healthz | /readyz]
import { fileURLToPath } from 'node:url'

export const probeTimeoutMs = 4000

/** Where this instance's gateway answers, from PORT (the runtime's setting). */
export function probeUrl (path: string, env: Record<string, string | undefined> = process.env): string {
  if (!path.startsWith('/')) throw new Error(`the path must start with "/", got "${path}"`)
  const port = env.PORT || '3100'
  return `http://127.0.0.1:${port}${path}`
}

/** True when `url` answers 200 within the time limit; false on any other answer or error. */
export async function probe (url: string, timeoutMs = probeTimeoutMs): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await response.body?.cancel()
    return response.status === 200
  } catch {
    return false
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = probeUrl(process.argv[2] ?? '/healthz')
  const healthy = await probe(url)
  if (!healthy) process.stderr.write(`${url} did not answer 200\n`)
  process.exit(healthy ? 0 : 1)
}
