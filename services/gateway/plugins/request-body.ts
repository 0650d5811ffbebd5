import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../../../lib/http-error.ts'

const MAX_DEPTH = 32
// Beyond this an oversized body is not worth reading to the end: close.
const MAX_DRAIN_BYTES = 64 * 1024 * 1024

// Deepest nesting of arrays and objects, strings skipped; stops counting
// once past the limit.
function nestingDepth (text: string, limit: number): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i)
    if (inString) {
      if (char === 92) i++ // backslash: skip the escaped character
      else if (char === 34) inString = false
    } else if (char === 34) {
      inString = true
    } else if (char === 123 || char === 91) {
      depth++
      if (depth > deepest) deepest = depth
      if (deepest > limit) return deepest
    } else if (char === 125 || char === 93) {
      depth--
    }
  }
  return deepest
}

// JSON bodies are decoded strictly before anything proxies them: invalid
// UTF-8 and absurd nesting are the client's error (400), not replaced
// characters or a stack overflow. Oversized bodies get their 413 even while
// the client is still sending.
async function requestBody (app: FastifyInstance) {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const bodyLimit = app.initialConfig.bodyLimit ?? 1024 * 1024

  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string
    try {
      text = decoder.decode(body as Buffer)
    } catch {
      return done(new HttpError(400, 'body: is not valid UTF-8'), undefined)
    }
    if (text.trim() === '') return done(new HttpError(400, 'body: is empty; send a JSON document'), undefined)
    if (nestingDepth(text, MAX_DEPTH) > MAX_DEPTH) return done(new HttpError(400, `body: is nested more than ${MAX_DEPTH} levels deep`), undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(new HttpError(400, 'body: is not valid JSON'), undefined)
    }
  })

  app.addHook('onRequest', async (request, reply) => {
    const length = Number(request.headers['content-length'] ?? 0)
    if (length > bodyLimit) return reply.code(413).send({ message: `body: larger than ${bodyLimit} bytes` })
  })

  // Whatever answers before the body was read (413, 401, 404), reading the
  // rest lets the client finish sending and see the answer instead of a
  // connection reset.
  app.addHook('onSend', async request => {
    const length = Number(request.headers['content-length'] ?? 0)
    if (!request.raw.complete && length <= MAX_DRAIN_BYTES) request.raw.resume()
  })
}

export default fp(requestBody, { name: 'request-body' })
