import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../../lib/config.ts'

async function probe (url: string): Promise<{ ok: boolean, detail: unknown }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
    return { ok: response.ok, detail: await response.json().catch(() => response.status) }
  } catch (error) {
    return { ok: false, detail: (error as Error).name === 'TimeoutError' ? 'no answer within 1 s' : 'unreachable' }
  }
}

// Always 200 while the gateway serves (as the original); the body says
// whether the services behind it and their database and cache are well.
export default async function health (app: FastifyInstance) {
  const config = loadConfig()
  app.get('/healthz', async () => {
    const [questions, runner] = await Promise.all([
      probe(`${config.QUESTION_MANAGER_SERVICE_URL}/healthz`),
      probe(`${config.DB_RUNNER_SERVICE_URL}/healthz`)
    ])
    const runnerOk = runner.ok && (runner.detail as { status?: string })?.status === 'ok'
    return {
      status: questions.ok && runnerOk ? 'ok' : 'degraded',
      services: { questions: questions.detail, dbrunner: runner.detail }
    }
  })
}
