// What the auth suites share: a Fastify app with the gateway's auth plugin in
// front of dummy routes that echo the identity they would forward.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import authPlugin, { type AuthPluginOptions } from '../../services/gateway/plugins/auth.ts'

export interface Echo {
  user: string | null
  scopes: string | null
  other: string | null
  playgroundUser: { id: string, scopes: string[] } | null
}

export interface Issuer { domain: string, resource: string }

interface Assert {
  ok: (value: unknown, message: string) => unknown
  notOk: (value: unknown, message: string) => unknown
}

// Dummy routes for some public operations (and internal ones) that echo the
// identity headers they would forward to the internal services.
export async function buildApp (options: AuthPluginOptions, logLines?: string[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logLines ? { level: 'trace', stream: { write: (line: string) => { logLines.push(line) } } } : false
  })
  await app.register(authPlugin, options)
  const echo = async (request: FastifyRequest): Promise<Echo> => ({
    user: (request.headers['x-playground-user'] as string | undefined) ?? null,
    scopes: (request.headers['x-playground-scopes'] as string | undefined) ?? null,
    other: (request.headers['x-playground-other'] as string | undefined) ?? null,
    playgroundUser: request.playgroundUser
  })
  app.get('/healthz', echo)
  app.get('/questions', echo)
  // the gateway may name parameters its own way
  app.get('/questions/:questionId/solution', echo)
  app.get('/me', echo)
  app.get('/crud/questions', echo)
  app.get('/internal/questions/:id', echo)
  // an internal template that a public path would fit, and a catch-all
  app.get('/:section', echo)
  app.get('/*', echo)
  await app.ready()
  return app
}

export function logtoOptions (issuer: Issuer, extra: AuthPluginOptions = {}): AuthPluginOptions {
  return { nodeEnv: 'test', logtoDomain: issuer.domain, resourceIndicator: issuer.resource, ...extra }
}

export const get = (app: FastifyInstance, url: string, token?: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: token === undefined ? headers : { authorization: `Bearer ${token}`, ...headers } })

export const now = () => Math.floor(Date.now() / 1000)

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** No token, nor its signature, nor an Authorization header ever reaches the logs. */
export function assertNoTokensLogged (t: Assert, logLines: string[], tokens: string[]): void {
  t.ok(logLines.length > 0, 'something was logged')
  const text = logLines.join('\n')
  for (const value of tokens) {
    const signature = value.split('.')[2]
    t.notOk(text.includes(value), 'no whole token in the logs')
    if (signature) t.notOk(text.includes(signature), 'no signature in the logs')
  }
  t.notOk(/authorization/i.test(text.replace(/Authorization: Bearer <access token>|Authorization header/g, '')), 'no Authorization header in the logs')
}
