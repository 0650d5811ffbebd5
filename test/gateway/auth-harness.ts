// What the auth suites share: a Fastify app with the gateway's settings,
// errors and auth plugins, and dummy routes for some public operations,
// each with the operation's token check as the gateway attaches it, that
// echo the identity they would forward.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import settingsPlugin from '../../lib/settings-plugin.ts'
import authPlugin, { type AuthPluginOptions } from '../../services/gateway/plugins/auth.ts'
import errorsPlugin from '../../services/gateway/plugins/errors.ts'
import { publicOperations } from '../../services/gateway/lib/scopes.ts'

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

// Only public operations are routed, as in the gateway: anything else is a
// 404 by construction.
export async function buildApp (options: AuthPluginOptions, logLines?: string[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logLines ? { level: 'trace', stream: { write: (line: string) => { logLines.push(line) } } } : false
  })
  await app.register(settingsPlugin)
  await app.register(errorsPlugin)
  await app.register(authPlugin, options)
  const echo = async (request: FastifyRequest): Promise<Echo> => ({
    user: (request.headers['x-playground-user'] as string | undefined) ?? null,
    scopes: request.playgroundUser ? request.playgroundUser.scopes.join(' ') : null,
    other: (request.headers['x-playground-other'] as string | undefined) ?? null,
    playgroundUser: request.playgroundUser
  })
  for (const path of ['/healthz', '/questions', '/questions/:id', '/questions/:id/solution', '/questions/:id/full', '/me']) {
    const operation = publicOperations.find(candidate => candidate.method === 'GET' && candidate.path === path)!
    app.get(path, { onRequest: operation.auth === 'public' ? [] : [app.authorize(operation)] }, echo)
  }
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
