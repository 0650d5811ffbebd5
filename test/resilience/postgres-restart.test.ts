// PostgreSQL stops under steady load and starts again (same data dir, same
// port) 5 s later. Users must get fast, clear 503s meanwhile, never a hang,
// and normal service again without the runtime being restarted.
import t from 'tap'
import { isAlive } from '../helpers/launcher.ts'
import {
  describe, devToken, endedBefore, failures, request, sleep, startLoad, startSystemWithBackingServices,
  startedBetween, studentScopes, teacherScopes, withClient, REQUEST_TIMEOUT_MS
} from './harness.ts'
import { teacherWrites } from './teacher-writes.ts'

const OUTAGE_MS = 5000
const RECOVERY_MS = 5000
const questionRoutes = new Set(['list questions', 'get question'])

t.test('PostgreSQL restarted under load', async t => {
  const { postgres, system } = await startSystemWithBackingServices(t)
  const student = await devToken(system.url, studentScopes, 'student-pg')
  const teacher = await devToken(system.url, teacherScopes, 'teacher-pg')

  const load = startLoad(system.url, student)
  await sleep(2000)
  const stoppedAt = Date.now()
  await postgres.stop()
  const downAt = Date.now()

  const writes = await teacherWrites(system.url, teacher, 'pg', 3)
  const untilBack = OUTAGE_MS - (Date.now() - downAt)
  if (untilBack > 0) await sleep(untilBack)
  const restartingAt = Date.now()
  await postgres.start()
  const restartedAt = Date.now()
  await sleep(RECOVERY_MS + 2000)
  const outcomes = await load.stop()

  const before = endedBefore(outcomes, stoppedAt)
  // Fully down: stopped, and not yet starting again.
  const during = startedBetween(outcomes, downAt, restartingAt)
  const settled = startedBetween(outcomes, restartedAt + RECOVERY_MS)
  t.ok(before.length > 20 && during.length > 20 && settled.length > 20, `steady load in every phase (${before.length} before, ${during.length} during, ${settled.length} after)`)

  t.same(outcomes.filter(o => o.hung).map(o => `${o.op} at +${o.startedAt - stoppedAt} ms`), [], `no request hangs past ${REQUEST_TIMEOUT_MS} ms`)
  t.equal(failures(before).length, 0, `no error before the fault: ${describe(failures(before))}`)

  const questionCalls = during.filter(o => questionRoutes.has(o.op))
  const questionFailures = failures(questionCalls)
  t.ok(questionFailures.length > 0, 'the outage is visible on the question routes')
  const unclear = questionFailures.filter(o => o.status !== 503 || !o.json || !o.message)
  t.same([...new Set(unclear.map(o => `${o.op}: ${o.status || o.error} ${o.message ?? ''}`))], [],
    `GET /questions and GET /questions/:id answer 503 with a JSON message while PostgreSQL is down (${describe(questionFailures)})`)
  const otherUnclear = failures(during).filter(o => !questionRoutes.has(o.op) && (o.status < 400 || !o.json || !o.message))
  t.same(otherUnclear.map(o => o.op), [], `other errors during the outage carry a JSON message (${describe(failures(during).filter(o => !questionRoutes.has(o.op)))})`)

  t.equal(failures(settled).length, 0, `no error from ${RECOVERY_MS / 1000} s after PostgreSQL is back: ${describe(failures(settled))}`)
  t.ok(isAlive(system.pid) && system.launched.child.exitCode === null, 'the runtime was never restarted: the same launcher process still serves')
  t.notMatch(system.launched.output(), /unexpectedly exited|(is being|will be) restarted/, 'no application inside the runtime was restarted either')

  // Each teacher write either succeeded and is durable, or failed clearly and left nothing.
  await withClient(postgres.url, async client => {
    for (const write of writes) {
      const schema = await client.query('SELECT id FROM schemas WHERE id = $1', [write.schemaId])
      const question = await client.query('SELECT id FROM questions WHERE title = $1', [write.questionTitle])
      if (write.schema.status === 201) {
        t.equal(schema.rowCount, 1, `schema ${write.schemaId}: created and durable`)
      } else {
        t.ok(write.schema.status >= 400 && write.schema.json && write.schema.message, `schema ${write.schemaId}: a clear error (${write.schema.status} ${write.schema.message ?? write.schema.error})`)
        t.equal(schema.rowCount, 0, `schema ${write.schemaId}: failed, nothing saved`)
      }
      if (write.question?.status === 201) {
        t.equal(question.rowCount, 1, `question "${write.questionTitle}": created and durable`)
      } else {
        t.ok(write.question && write.question.status >= 400 && write.question.json && write.question.message, `question: a clear error (${write.question?.status} ${write.question?.message ?? write.question?.error})`)
        t.equal(question.rowCount, 0, `question "${write.questionTitle}": failed, nothing saved`)
      }
    }
  })

  t.equal((await request(system.url, 'list questions', 'GET', '/questions', { token: student })).status, 200, 'still serving')
})
