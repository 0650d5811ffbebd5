// The browser playground (web/, built into web/dist by `npm run build:web`),
// served on the gateway's own origin so the page calls the API without CORS:
//   GET /                          index.html, never cached (it names the current assets)
//   GET /index.html                the same
//   GET /assets/*                  Vite's content-hashed files, cached for a year
//   GET /assets/web-config.json    how the page signs in (dev issuer or Logto)
// All of these are public pages in lib/scopes.ts. Registering GET '/' also
// keeps @platformatic/gateway from mounting its own welcome page there.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { loadConfig } from '../../../lib/config.ts'
import { allScopes } from '../lib/scopes.ts'

export interface WebAppOptions {
  /** default: web/dist at the repository root */
  distDir?: string
}

export type WebConfig =
  | { auth: 'dev', scopes: string[] }
  | { auth: 'logto', logtoEndpoint: string, appId: string, resource: string, scopes: string[] }

const defaultDistDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Database Playground: page not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The web page is not built</h1>
<p>The web page is not built; run <code>npm run build:web</code> at the repository root, then reload.</p>
<p>The API works without it: see <a href="/openapi/docs">the API docs</a>.</p>
</body></html>
`

// Settings the page needs to sign in (LOGTO_APP_ID is the Logto application
// of the page, not of the API).
export function webConfig (env: Record<string, string | undefined> = process.env): WebConfig {
  const config = loadConfig(env)
  const scopes = allScopes()
  if (config.LOGTO_DOMAIN === '') return { auth: 'dev', scopes }
  return {
    auth: 'logto',
    logtoEndpoint: config.LOGTO_DOMAIN,
    appId: config.LOGTO_APP_ID,
    resource: config.GATEWAY_RESOURCE_INDICATOR,
    scopes
  }
}

function contentSecurityPolicy (config: WebConfig): string {
  const logto = config.auth === 'logto' ? ` ${new URL(config.logtoEndpoint).origin}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    // CodeMirror adds its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${logto}`,
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ')
}

async function webApp (app: FastifyInstance, options: WebAppOptions) {
  const distDir = options.distDir ?? defaultDistDir
  const config = webConfig()
  const csp = contentSecurityPolicy(config)
  if (!existsSync(join(distDir, 'index.html'))) {
    app.log.warn({ distDir }, 'the web page is not built: / answers 503 until `npm run build:web` has run')
  }

  await app.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: '/assets/',
    // A route per request path (not a glob at start), so a build made while
    // the gateway runs is served too.
    wildcard: true,
    decorateReply: false,
    index: false,
    list: false,
    // File names carry a content hash: a changed file gets a new name.
    cacheControl: true,
    maxAge: 365 * 24 * 60 * 60 * 1000,
    immutable: true,
    // scripts/web-build.ts writes .br and .gz beside each file.
    preCompressed: true,
    setHeaders: response => {
      response.setHeader('x-content-type-options', 'nosniff')
      response.setHeader('vary', 'accept-encoding')
    }
  })

  app.get('/assets/web-config.json', { schema: { hide: true } as object }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache')
    return config
  })

  // Read on every request: a rebuild is picked up without a restart, and a
  // missing build is a page that says what to do, not a crash.
  async function sendIndex (reply: FastifyReply) {
    let html: Buffer
    try {
      html = await readFile(join(distDir, 'index.html'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(notBuiltPage)
    }
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', csp)
      .header('x-content-type-options', 'nosniff')
      // The sign-in callback carries a one-time code in the address.
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(html)
  }

  app.get('/', { schema: { hide: true } as object }, async (_request, reply) => sendIndex(reply))
  app.get('/index.html', { schema: { hide: true } as object }, async (_request, reply) => sendIndex(reply))
}

export default fp(webApp, { name: 'web-app', fastify: '5.x' })
