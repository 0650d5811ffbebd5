// Redis (the result cache) dies under steady load and comes back on the same
// port 5 s later. Users must get fast, clear 503s meanwhile, never a hang,
// and normal service again without the runtime being restarted.
import t from 'tap'
import {
  describe, devToken, endedBefore, eventually, failures, sleep, startLoad, startSystemWithBackingServices,
  startedBetween, studentScopes, teacherScopes, withClient, request, REQUEST_TIMEOUT_MS
} from './harness.ts'
import { teacherWrites, type TeacherWrite } from './teacher-writes.ts'
import { isAlive } from '../helpers/launcher.ts'

const OUTAGE_MS = 5000
const RECOVERY_MS = 5000

t.test('Redis killed for 5 s under load, then restarted on the same port', async t => {
  const { postgres, redis, system } = await startSystemWithBackingServices(t)
  const student = await devToken(system.url, studentScopes, 'student-redis')
  const teacher = await devToken(system.url, teacherScopes, 'teacher-redis')

  const load = startLoad(system.url, student)
  await sleep(2000)
  const killedAt = Date.now()
  await redis.kill()

  // Teacher writes while the cache is away: they do not need it.
  const writes: TeacherWrite[] = await teacherWrites(system.url, teacher, 'redis', 3)
  const untilBack = OUTAGE_MS - (Date.now() - killedAt)
  if (untilBack > 0) await sleep(untilBack)
  await redis.start()
  const restartedAt = Date.now()
  await sleep(RECOVERY_MS + 2000)
  const outcomes = await load.stop()

  const before = endedBefore(outcomes, killedAt)
  const during = startedBetween(outcomes, killedAt, restartedAt)
  const settled = startedBetween(outcomes, restartedAt + RECOVERY_MS)
  t.ok(before.length > 20 && during.length > 20 && settled.length > 20, `steady load in every phase (${before.length} before, ${during.length} during, ${settled.length} after)`)

  t.same(outcomes.filter(o => o.hung), [], `no request hangs past ${REQUEST_TIMEOUT_MS} ms`)
  t.equal(failures(before).length, 0, `no error before the fault: ${describe(failures(before))}`)

  const duringFailures = failures(during)
  t.ok(duringFailures.length > 0, 'the outage is visible to runs (they need the cache)')
  const unclear = duringFailures.filter(o => o.status !== 503 || !o.json || !o.message)
  t.same(unclear.map(o => `${o.op}: ${o.status || o.error} ${o.message ?? ''}`), [], `every error during the outage is a 503 with a JSON message (${describe(duringFailures)})`)
  t.match(duringFailures[0]?.message, /cache|try again/i, 'the message says what to do')
  const reads = during.filter(o => o.op === 'list questions' || o.op === 'get question')
  t.ok(reads.length > 0 && failures(reads).length === 0, `question reads do not need the cache and keep working (${describe(failures(reads))})`)

  t.equal(failures(settled).length, 0, `no error from ${RECOVERY_MS / 1000} s after Redis is back: ${describe(failures(settled))}`)
  t.ok(isAlive(system.pid), 'the runtime was never restarted: the same launcher process still serves')
  t.notMatch(system.launched.output(), /unexpectedly exited|(is being|will be) restarted/, 'no application inside the runtime was restarted either')
  t.equal(system.launched.child.exitCode, null)

  // Every teacher write either succeeded and is in PostgreSQL, or failed clearly and left nothing.
  await withClient(postgres.url, async client => {
    for (const write of writes) {
      const schema = await client.query('SELECT id FROM schemas WHERE id = $1', [write.schemaId])
      const question = await client.query('SELECT id FROM questions WHERE title = $1', [write.questionTitle])
      if (write.schema.status === 201) t.equal(schema.rowCount, 1, `schema ${write.schemaId} was created and is durable`)
      else {
        t.ok(write.schema.status >= 400 && write.schema.message, `schema ${write.schemaId}: a clear error (${write.schema.status} ${write.schema.message ?? write.schema.error})`)
        t.equal(schema.rowCount, 0, `schema ${write.schemaId}: failed, nothing saved`)
      }
      if (write.question?.status === 201) t.equal(question.rowCount, 1, `question "${write.questionTitle}" was created and is durable`)
      else {
        if (write.question) t.ok(write.question.status >= 400 && write.question.message, `question: a clear error (${write.question.status} ${write.question.message ?? write.question.error})`)
        t.equal(question.rowCount, 0, `question "${write.questionTitle}": not created, nothing saved`)
      }
    }
  })
  t.ok(writes.every(write => write.schema.status === 201 && write.question?.status === 201), `teacher writes do not need the cache and succeed during the outage (${writes.map(w => `${w.schema.status}/${w.question?.status}`).join(', ')})`)

  const after = await request(system.url, 'list questions', 'GET', '/questions', { token: student })
  t.equal(after.status, 200, 'still serving')
  t.ok(await eventually(async () => (await request(system.url, 'run', 'POST', '/challenges', { token: student, body: JSON.stringify({ questionID: '1', query: 'SELECT 42' }) })).status === 200, 1000), 'runs work again')
})
