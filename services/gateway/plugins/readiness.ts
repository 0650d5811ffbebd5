import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { onDraining } from '../../../lib/lifecycle.ts'
import { publicOperations } from '../lib/scopes.ts'

// How long a probe of what is behind the gateway is reused: readiness is
// asked often (load balancers, Kubernetes) and must stay cheap.
const PROBE_TTL_MS = 1000

const answer = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ready', 'draining', 'unavailable'] } },
  required: ['status']
} as const

// GET /readyz: whether this instance should get new requests. 503 from the
// moment it is told to stop (the launcher's drain, or the runtime closing),
// and while the database or the cache behind it is unreachable; /healthz
// stays liveness.
async function readiness (app: FastifyInstance) {
  let draining = false
  const stopListening = onDraining(() => {
    draining = true
    app.log.info('draining: /readyz answers 503 from now on; requests in flight finish')
  })
  app.addHook('preClose', async () => { draining = true })
  app.addHook('onClose', async () => stopListening())

  const url = `${app.settings.QUESTION_MANAGER_SERVICE_URL}/healthz`
  let last: { at: number, ready: Promise<boolean> } | undefined
  const dependenciesReady = () => {
    if (last && Date.now() - last.at < PROBE_TTL_MS) return last.ready
    // Ready when the questions service, its database, the runner and the
    // cache all are.
    const ready = fetch(url, { signal: AbortSignal.timeout(1000) })
      .then(async response => response.ok && (await response.json() as { status?: string }).status === 'ok')
      .catch(() => false)
    last = { at: Date.now(), ready }
    return ready
  }

  const route = { schema: { tags: ['Health'], response: { 200: answer, 503: answer } } }
  app.applyPolicy(publicOperations.find(operation => operation.path === '/readyz')!, route)
  app.get('/readyz', route, async (_request, reply) => {
    if (draining) return reply.code(503).send({ status: 'draining' })
    return await dependenciesReady() ? { status: 'ready' } : reply.code(503).send({ status: 'unavailable' })
  })
}

export default fp(readiness, { name: 'readiness', dependencies: ['settings', 'route-policy'] })
