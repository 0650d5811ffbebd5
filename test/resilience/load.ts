// A steady mixed load on the public API that records what every request
// got, and the questions a test asks of those records.
import { request as httpRequest } from 'node:http'

export const REQUEST_TIMEOUT_MS = 5000

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

// What a user sees: one record per request.

export interface Outcome {
  op: string
  startedAt: number
  endedAt: number
  /** 0 when no HTTP response came (connection error or hang) */
  status: number
  /** the `message` of a JSON error body, if there was one */
  message?: string
  /** the body was JSON */
  json: boolean
  /** no answer within REQUEST_TIMEOUT_MS */
  hung: boolean
  /** the network error, when there was no response */
  error?: string
  body?: unknown
}

export async function request (url: string, op: string, method: string, path: string, options: { token?: string, body?: string | Uint8Array, headers?: Record<string, string> } = {}): Promise<Outcome> {
  const startedAt = Date.now()
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] ??= 'application/json'
  try {
    const response = await fetch(`${url}${path}`, { method, headers, body: options.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    return outcomeOf(op, startedAt, response.status, await response.text())
  } catch (error) {
    const name = (error as Error).name
    const cause = (error as { cause?: { code?: string, message?: string } }).cause
    return {
      op,
      startedAt,
      endedAt: Date.now(),
      status: 0,
      json: false,
      hung: name === 'TimeoutError',
      error: `${name}: ${cause?.code ?? cause?.message ?? (error as Error).message}`
    }
  }
}

function outcomeOf (op: string, startedAt: number, status: number, text: string): Outcome {
  let body: unknown
  let json = false
  try {
    body = JSON.parse(text)
    json = true
  } catch {}
  const message = json && typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : undefined
  return { op, startedAt, endedAt: Date.now(), status, message, json, hung: false, body }
}

/**
 * A request through node:http, which reads the answer even when the server
 * answers before the whole body is sent and then closes the connection (a
 * 413 for a huge body): fetch reports only the broken pipe then.
 */
export function rawRequest (url: string, op: string, method: string, path: string, options: { token?: string, body: string | Uint8Array }): Promise<Outcome> {
  const startedAt = Date.now()
  return new Promise(resolve => {
    let settled = false
    const finish = (outcome: Outcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    const req = httpRequest(new URL(path, url), { method, headers }, response => {
      const chunks: Buffer[] = []
      const done = () => finish(outcomeOf(op, startedAt, response.statusCode ?? 0, Buffer.concat(chunks).toString()))
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', done)
      response.on('error', done)
      response.on('aborted', done)
    })
    const timer = setTimeout(() => {
      req.destroy()
      finish({ op, startedAt, endedAt: Date.now(), status: 0, json: false, hung: true, error: 'TimeoutError' })
    }, REQUEST_TIMEOUT_MS)
    // A write error may come after the answer has arrived; give it a moment.
    req.on('error', error => setTimeout(() => finish({ op, startedAt, endedAt: Date.now(), status: 0, json: false, hung: false, error: `${error.name}: ${(error as NodeJS.ErrnoException).code ?? error.message}` }), 500))
    req.end(options.body)
  })
}

export const CACHED_QUERY = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"

/**
 * Several loops of mixed student traffic until stopped (or the caps): the
 * question list, one question, a cached run, a new run, and a cached run
 * followed by reading its result.
 */
export function startLoad (url: string, token: string, options: { loops?: number, pauseMs?: number, maxRequests?: number, maxDurationMs?: number } = {}) {
  const loops = options.loops ?? 4
  const pauseMs = options.pauseMs ?? 20
  const maxRequests = options.maxRequests ?? 20_000
  const deadline = Date.now() + (options.maxDurationMs ?? 90_000)
  const outcomes: Outcome[] = []
  let stopped = false
  let fresh = 0
  const ops: Array<() => Promise<void>> = [
    async () => { outcomes.push(await request(url, 'list questions', 'GET', '/questions', { token })) },
    async () => { outcomes.push(await request(url, 'get question', 'GET', `/questions/${1 + (outcomes.length % 10)}`, { token })) },
    async () => {
      outcomes.push(await request(url, 'cached run', 'POST', '/challenges', { token, body: JSON.stringify({ questionID: '1', query: CACHED_QUERY }) }))
    },
    async () => {
      outcomes.push(await request(url, 'new run', 'POST', '/challenges', { token, body: JSON.stringify({ questionID: '1', query: `SELECT name, price + ${++fresh} FROM products` }) }))
    },
    async () => {
      // Reads the result of a run made just before, so a cache emptied by a
      // restart does not count against reads.
      const created = await request(url, 'read result: run', 'POST', '/challenges', { token, body: JSON.stringify({ questionID: '2', query: 'SELECT name, price FROM products ORDER BY price DESC LIMIT 3' }) })
      outcomes.push(created)
      const id = (created.body as { challengeID?: string } | undefined)?.challengeID
      if (id) outcomes.push(await request(url, 'read result', 'GET', `/challenges/${id}`, { token }))
    }
  ]
  const running = Promise.all(Array.from({ length: loops }, async (_, loop) => {
    for (let i = loop; !stopped && outcomes.length < maxRequests && Date.now() < deadline; i++) {
      await (ops[i % ops.length] as () => Promise<void>)()
      await sleep(pauseMs)
    }
  }))
  return {
    outcomes,
    stop: async () => {
      stopped = true
      await running
      return outcomes
    }
  }
}

/** Requests answered before `at`: untouched by a fault injected then. */
export const endedBefore = (outcomes: Outcome[], at: number) => outcomes.filter(o => o.endedAt < at)
export const startedBetween = (outcomes: Outcome[], from: number, to = Infinity) => outcomes.filter(o => o.startedAt >= from && o.startedAt < to)
export const failures = (outcomes: Outcome[]) => outcomes.filter(o => o.status < 200 || o.status >= 300)

/** A short account of failures for assertion messages. */
export function describe (outcomes: Outcome[], limit = 8): string {
  const counts = new Map<string, number>()
  for (const o of outcomes) {
    const key = `${o.op}: ${o.status || o.error}${o.message ? ` ${JSON.stringify(o.message)}` : ''}${o.hung ? ' (hung)' : ''}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([key, n]) => `${n}× ${key}`).join('; ') || 'none'
}

/** Polls until `check` passes or the time is up; returns whether it passed. */
export async function eventually (check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true
    await sleep(everyMs)
  }
  return false
}
