import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { freePort } from '../../launcher/free-port.ts'
import { apiClient, studentScopes } from '../helpers/api.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { launch, waitForOutput } from '../helpers/launcher.ts'
import { startOtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts'

const answer = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
// Right, in other words than the answer; the marker must never reach a span.
const query = "SELECT name, price FROM products WHERE price < 100 AND category = 'electronics' AND name <> 'zz-marker-of-the-query'"
const failing = 'SELECT zz_no_such_column FROM products'

const services = ['playground-gateway', 'playground-questions', 'playground-dbrunner']
const traceIdOf = (response: { headers: Headers }) => response.headers.get('traceparent')?.split('-')[1] ?? ''

t.test('one trace across gateway, questions and runner, exported over OTLP; trace ids in the logs', async t => {
  const receiver = await startOtlpReceiver()
  t.teardown(() => receiver.close())
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-telemetry-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const launched = launch({
    DATA_DIR: dataDir,
    DATABASE_URL: await createTestDatabase(t),
    REDIS_URL: process.env.TEST_REDIS_URL ?? '',
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    // export every 100 ms rather than every 5 s
    OTEL_BSP_SCHEDULE_DELAY: '100'
  })
  t.teardown(() => launched.child.kill('SIGKILL'))
  const [, url] = await waitForOutput(launched, /API:\s+(http:\/\/\S+)/)
  const { token, call } = apiClient(url)
  const student = await token(studentScopes, `tracer-${randomBytes(4).toString('hex')}`)

  // A caller that decided not to sample: parent-based sampling follows it.
  const unsampledTrace = randomBytes(16).toString('hex')
  const unsampled = await call('GET', '/questions/1', { token: student, headers: { traceparent: `00-${unsampledTrace}-${randomBytes(8).toString('hex')}-00` } })
  t.equal(unsampled.status, 200)

  const created = await call('POST', '/challenges', { token: student, body: { questionID: '1', query } })
  t.equal(created.status, 200)
  const compared = await call('GET', `/challenges/${created.body.challengeID}/compare`, { token: student })
  t.same(compared.body, { same: true })
  const refused = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: failing } })
  t.equal(refused.status, 422)

  const traces = { created: traceIdOf(created), compared: traceIdOf(compared), refused: traceIdOf(refused) }
  for (const [name, id] of Object.entries(traces)) t.match(id, /^[0-9a-f]{32}$/, `the gateway answers the trace id of ${name} (traceparent)`)
  t.not(traces.created, traces.compared, 'each request is a trace of its own')

  const inTrace = (spans: ReceivedSpan[], id: string) => spans.filter(span => span.traceId === id)
  // Each request's trace is complete once the gateway's span of it (the last to end) is in.
  const complete = (spans: ReceivedSpan[], id: string) => inTrace(spans, id).some(span => span.service === 'playground-gateway' && span.kind === 2)
  const spans = await receiver.waitFor(all => Object.values(traces).every(id => complete(all, id)))
  t.same([...receiver.contentTypes], ['application/x-protobuf'], 'Platformatic\'s exporter sends OTLP/HTTP protobuf')

  t.test('POST /challenges: one trace from the gateway to the SQL run', async t => {
    const trace = inTrace(spans, traces.created)
    t.same([...new Set(trace.map(span => span.service))].sort(), [...services].sort(), 'spans of the three services')
    const ids = new Set(trace.map(span => span.spanId))
    const roots = trace.filter(span => span.parentSpanId === '')
    t.equal(roots.length, 1, 'one root')
    t.match(roots[0], { service: 'playground-gateway', name: 'POST /challenges', kind: 2 })
    t.ok(trace.every(span => span.parentSpanId === '' || ids.has(span.parentSpanId)), 'every other span\'s parent is in the trace')

    const byId = new Map(trace.map(span => [span.spanId, span]))
    const path = (span: ReceivedSpan): string[] => span.parentSpanId === '' ? [span.service] : [...path(byId.get(span.parentSpanId)!), span.service]
    const runs = trace.filter(span => span.name === 'sql run')
    t.equal(runs.length, 1, 'one SQL run')
    t.same([...new Set(path(runs[0]))], services, 'the SQL run hangs under the runner\'s request, under questions, under the gateway')
    t.match(runs[0].attributes, { 'question.id': '1', 'run.cache': 'miss', 'run.outcome': 'ok', 'run.duration_ms': Number })
    const questions = trace.find(span => span.service === 'playground-questions' && span.kind === 2)
    t.equal(questions?.attributes['question.id'], '1', 'the questions service marks its request with the question')
    t.ok(trace.some(span => span.service === 'playground-questions' && span.name === 'runner run' && span.kind === 3), 'and its call to the runner')
  })

  t.test('a compare: a span per SQL run, with the question, the cache and the outcome', async t => {
    const runs = inTrace(spans, traces.compared).filter(span => span.name === 'sql run')
    // the answer and the query on the visible data and on 2 hidden datasets
    t.equal(runs.length, 6)
    t.ok(runs.every(span => span.service === 'playground-dbrunner' && span.attributes['question.id'] === '1' && span.attributes['run.outcome'] === 'ok'))
    t.ok(runs.every(span => typeof span.attributes['run.duration_ms'] === 'number' && span.attributes['run.duration_ms'] >= 0))
    t.ok(runs.some(span => span.attributes['run.cache'] === 'hit'), 'the query run by POST /challenges comes from the cache')
    t.ok(runs.some(span => span.attributes['run.cache'] === 'miss'))
  })

  t.test('a failing query: its outcome, never its text nor the engine\'s message', async t => {
    const trace = inTrace(spans, traces.refused)
    const run = trace.find(span => span.name === 'sql run')
    t.match(run?.attributes, { 'question.id': '1', 'run.outcome': 'query_error' })
    t.ok(trace.some(span => span.service === 'playground-dbrunner' && span.attributes['http.response.status_code'] === 422))
  })

  t.test('no SQL text and no token in any span', async t => {
    const values = spans.flatMap(span => [span.name, ...Object.values(span.attributes).map(String)])
    const leaks = (needle: string) => values.filter(value => value.includes(needle))
    t.same(leaks('zz-marker-of-the-query'), [], 'not the student\'s query')
    t.same(leaks('zz_no_such_column'), [], 'not the failing one, nor the engine message quoting it')
    t.same(leaks('FROM products'), [], 'no SQL at all (the reference answer included)')
    t.same(leaks(student.split('.')[2]), [], 'not the token')
    t.notOk(values.includes(answer))
  })

  t.test('sampling follows a caller that decided not to sample', async t => {
    // Its spans ended before all the others, which have been exported.
    t.same(inTrace(spans, unsampledTrace), [])
  })

  t.test('without a collector, requests are served as before', async t => {
    await receiver.close()
    const again = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: `${query} -- once more` } })
    t.equal(again.status, 200)
    t.match(traceIdOf(again), /^[0-9a-f]{32}$/)
  })

  t.test('every log line of a request carries its trace id', async t => {
    launched.child.kill('SIGTERM')
    t.equal(await launched.exited, 0)
    const lines = launched.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line))
    for (const id of Object.values(traces)) {
      const traced = lines.filter(line => line.trace_id === id)
      t.same([...new Set(traced.map(line => line.name))].sort(), ['dbrunner', 'gateway', 'questions'], 'lines of the three services')
      const requests = new Set(traced.map(line => line.reqId))
      // The gateway notes a request's arrival before its trace starts (the same reqId links it).
      const rest = lines.filter(line => requests.has(line.reqId) && !(line.name === 'gateway' && line.msg === 'incoming request'))
      t.ok(rest.length >= 6, 'incoming, completed, and more')
      t.same(rest.filter(line => line.trace_id !== id), [], 'every line of those requests has the trace id')
    }
    t.notOk(launched.output().includes(student.split('.')[2]), 'the token never reaches the log')
  })
})
