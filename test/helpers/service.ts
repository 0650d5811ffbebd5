// One application of the project built in this test process from its own
// folder and platformatic.json (Platformatic's public `create`, as its
// generated test helpers do), reached with `inject`: the fast tier.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repositoryRoot } from '../../launcher/system.ts'
import { migrate } from '../../lib/migrations.ts'
import { createTestDatabase } from './database.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

interface Capability {
  getApplication: () => unknown
  start: (options: { listen: boolean }) => Promise<string>
  stop: () => Promise<void>
  inject: (request: { method: string, url: string, headers?: Record<string, string>, payload?: string }) => Promise<{ statusCode: number, headers: Record<string, string>, body: string }>
}

export interface TestService {
  /** where it listens, when started with `listen` */
  url: string
  /** the Fastify instance, for what a test must reach directly */
  app: unknown
  call: (method: string, url: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number, headers: Record<string, string>, body: any, raw: string }>
}

const factories = {
  questions: () => import('@platformatic/db'),
  dbrunner: () => import('@platformatic/service')
}

/**
 * Starts services/<name> with these settings (the process environment is
 * what Platformatic's config placeholders and the settings table read).
 */
export async function startService (t: Teardown, name: keyof typeof factories, env: Record<string, string> = {}, options: { listen?: boolean } = {}): Promise<TestService> {
  Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env })
  const { create } = await factories[name]() as unknown as { create: (root: string, source: object) => Promise<Capability> }
  const root = join(repositoryRoot, 'services', name)
  // Its own configuration, with the log level of the tests.
  const config = JSON.parse(await readFile(join(root, 'platformatic.json'), 'utf8'))
  config.server = { ...config.server, logger: { level: process.env.LOG_LEVEL } }
  const capability = await create(root, config)
  const url = await capability.start({ listen: options.listen ?? false })
  t.teardown(() => capability.stop())
  return {
    url,
    app: capability.getApplication(),
    async call (method, path, body, headers = {}) {
      const response = await capability.inject({
        method,
        url: path,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
      })
      let parsed: unknown
      try {
        parsed = response.body ? JSON.parse(response.body) : undefined
      } catch {}
      return { status: response.statusCode, headers: response.headers, body: parsed, raw: response.body }
    }
  }
}

/** The runner listening on a free port, and questions on a fresh migrated database calling it. */
export async function startQuestionsWithRunner (t: Teardown, env: Record<string, string> = {}) {
  const runner = await startService(t, 'dbrunner', { REDIS_URL: '', ...env }, { listen: true })
  const databaseUrl = await createTestDatabase(t)
  await migrate(databaseUrl)
  const questions = await startService(t, 'questions', { DATABASE_URL: databaseUrl, DB_RUNNER_SERVICE_URL: runner.url, ...env })
  return { runner, questions, databaseUrl }
}
