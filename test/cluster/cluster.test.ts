// Three instances of the system started together on one empty PostgreSQL
// and one Redis, behind haproxy, under steady mixed load: they behave as
// one. Migrations apply once; a challenge made on one instance is read and
// graded on the others; per-user limits hold across instances; kill -9 of an
// instance fails only what was in flight on it; SIGTERM of another fails
// nothing; teacher writes stay durable or are cleanly refused throughout.
import t from 'tap'
import { readdirSync } from 'node:fs'
import pg from 'pg'
import { freePort } from '../../launcher/free-port.ts'
import { migrationsDir } from '../../lib/migrations.ts'
import { loadSeeds } from '../../lib/seed.ts'
import { createTestDatabase, withClient } from '../helpers/database.ts'
import { launch } from '../helpers/launcher.ts'
import { startOidcProvider } from '../helpers/oidc-provider.ts'
import { describe, failures, launchSystem, request, sleep, startLoad, startedBetween, tempDir, within, type Outcome } from '../resilience/harness.ts'
import { teacherWrites, type TeacherWrite } from '../resilience/teacher-writes.ts'
import { startHaproxy } from './haproxy.ts'
import { testRedisEnv } from '../helpers/redis.ts'

const studentScope = 'read:question read:solution challenge read:schema'
const teacherScope = `${studentScope} write:resource`

t.test('three instances behind haproxy behave as one', async t => {
  const dir = await tempDir(t, 'playground-cluster-')
  const oidc = await startOidcProvider()
  t.teardown(() => oidc.close())
  const databaseUrl = await createTestDatabase(t)
  const env = {
    NODE_ENV: 'production',
    LOGTO_DOMAIN: oidc.domain,
    GATEWAY_RESOURCE_INDICATOR: oidc.resource,
    DATABASE_URL: databaseUrl,
    ...testRedisEnv(),
    COMPARE_RATE_LIMIT: '4',
    // The preload says at info level when it applied migrations.
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_MS: '1500'
  }

  // Started at once, on a database without a table yet.
  const instances = await Promise.all(['a', 'b', 'c'].map(async name => ({ name, ...await launchSystem(t, { ...env, PORT: String(await freePort()), DATA_DIR: dir }) })))
  const applied = instances.filter(instance => instance.launched.output().includes('migrations applied'))
  t.equal(applied.length, 1, `one instance applied the migrations (${applied.map(instance => instance.name).join(', ')})`)
  const versions = await withClient(databaseUrl, client => client.query('SELECT version FROM versions ORDER BY version'))
  // Version 0 is the runner's own row; then one per migration file.
  const migrationVersions = readdirSync(migrationsDir).filter(file => file.endsWith('.do.sql')).map(file => Number.parseInt(file, 10)).sort((a, b) => a - b)
  t.same(versions.rows.map(row => Number(row.version)), [0, ...migrationVersions], `each migration once (${JSON.stringify(versions.rows)})`)
  await withClient(databaseUrl, client => loadSeeds(client as pg.Client))

  const [a, b, c] = instances as [typeof instances[number], typeof instances[number], typeof instances[number]]
  const student = await oidc.token({ sub: 'cluster-student', scope: studentScope })
  const call = (url: string, method: string, path: string, body?: unknown) => request(url, `${method} ${path}`, method, path, { token: student, body: body === undefined ? undefined : JSON.stringify(body) })

  t.test('a challenge made on one instance is read and graded on the others', async t => {
    const created = await call(a.url, 'POST', '/challenges', { questionID: '1', query: "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100" })
    t.equal(created.status, 200, created.message ?? 'created')
    const id = (created.body as { challengeID: string }).challengeID
    t.match((await call(b.url, 'GET', `/challenges/${id}`)).body, { header: ['name', 'price'] }, 'read on b')
    t.same((await call(c.url, 'GET', `/challenges/${id}/compare`)).body, { same: true }, 'graded on c')
  })

  t.test('a per-user limit holds across instances', async t => {
    const user = await oidc.token({ sub: 'cluster-limited', scope: studentScope })
    const id = ((await request(a.url, 'run', 'POST', '/challenges', { token: user, body: JSON.stringify({ questionID: '1', query: 'SELECT 1' }) })).body as { challengeID: string }).challengeID
    const statuses: number[] = []
    for (const instance of [a, b, c, a, b]) statuses.push((await request(instance.url, 'compare', 'GET', `/challenges/${id}/compare`, { token: user })).status)
    t.same(statuses, [200, 200, 200, 200, 429], 'four compares a minute, counted on every instance together')
  })

  t.test('kill -9 of one instance and SIGTERM of another under load', async t => {
    const proxy = await startHaproxy(t, { dir, servers: instances.map(instance => ({ name: instance.name, port: Number(new URL(instance.url).port) })) })
    const teacher = await oidc.token({ sub: 'cluster-teacher', scope: teacherScope })
    const load = startLoad(proxy.url, student, { loops: 4, pauseMs: 10 })
    const writes: TeacherWrite[] = []
    const writing = (async () => { for (let round = 0; round < 4; round++) writes.push(...await teacherWrites(proxy.url, teacher, `cluster${round}`, 1, 500)) })()
    await sleep(2500)

    const killedAt = Date.now()
    c.launched.child.kill('SIGKILL')
    await sleep(3000)
    const termAt = Date.now()
    b.launched.child.kill('SIGTERM')
    t.equal(await within(b.launched.exited, 30_000), 0, 'the instance told to stop drains, then exits 0')
    await sleep(2000)
    await writing
    const outcomes = await load.stop()

    const before = startedBetween(outcomes, 0, killedAt).filter(o => o.endedAt < killedAt)
    const failedAtKill = failures(startedBetween(outcomes, 0, termAt)).filter(o => o.endedAt >= killedAt)
    const inFlightAtKill = outcomes.filter(o => o.startedAt < killedAt && o.endedAt >= killedAt)
    const afterTerm = startedBetween(outcomes, termAt - 500)
    t.ok(before.length > 30 && afterTerm.length > 30, `steady load (${before.length} requests before the kill, ${afterTerm.length} around and after the SIGTERM)`)
    t.equal(failures(before).length, 0, `no error before the faults: ${describe(failures(before))}`)
    t.same(failedAtKill.filter(o => o.startedAt >= killedAt).map(o => `${o.op}: ${o.status || o.error} ${o.message ?? ''} +${o.startedAt - killedAt}ms`), [],
      'kill -9: no request sent after the kill fails (haproxy sends it elsewhere)')
    t.ok(failedAtKill.length <= inFlightAtKill.length, `kill -9: only requests in flight fail (${failedAtKill.length} failed of ${inFlightAtKill.length} in flight: ${describe(failedAtKill)})`)
    const lastFailure = Math.max(killedAt, ...failedAtKill.map(o => o.endedAt))
    t.comment(`kill -9: ${failedAtKill.length} requests failed, all in flight; errors stopped ${lastFailure - killedAt} ms after the kill`)
    t.same(failures(afterTerm).map((o: Outcome) => `${o.op}: ${o.status || o.error} ${o.message ?? ''}`), [], `SIGTERM: no request fails (${afterTerm.length} requests)`)
    t.comment(`SIGTERM: 0 of ${afterTerm.length} requests failed; the instance exited ${Date.now() - termAt} ms after the signal at the latest`)

    await withClient(databaseUrl, async client => {
      for (const write of writes) {
        const schema = await client.query('SELECT 1 FROM schemas WHERE id = $1', [write.schemaId])
        if (write.schema.status === 201) t.equal(schema.rowCount, 1, `schema ${write.schemaId} is durable`)
        else t.ok(write.schema.status >= 400 && write.schema.message && schema.rowCount === 0, `schema ${write.schemaId}: refused cleanly (${write.schema.status || write.schema.error} ${write.schema.message ?? ''})`)
        const question = await client.query('SELECT 1 FROM questions WHERE title = $1', [write.questionTitle])
        if (write.question?.status === 201) t.equal(question.rowCount, 1, `question "${write.questionTitle}" is durable`)
        else t.ok((write.question?.status ?? 0) >= 400 && question.rowCount === 0, `question "${write.questionTitle}": refused cleanly (${write.question?.status || write.question?.error})`)
      }
    })
    t.ok(writes.filter(write => write.schema.status === 201).length >= writes.length - 1, `teacher writes went through (${writes.map(w => `${w.schema.status}/${w.question?.status}`).join(', ')})`)
    t.equal((await call(proxy.url, 'GET', '/questions')).status, 200, 'the remaining instance serves')
    t.equal((await call(a.url, 'GET', '/readyz')).status, 200, 'and is ready')
  })
})

t.test('dev auth refuses to run as several instances of one system', async t => {
  const dir = await tempDir(t, 'playground-dev-cluster-')
  const env = { NODE_ENV: 'development', DATABASE_URL: await createTestDatabase(t), ...testRedisEnv(), DATA_DIR: dir }
  const first = await launchSystem(t, env)
  t.equal((await request(first.url, 'health', 'GET', '/healthz')).status, 200, 'one instance in dev mode runs')
  const second = launch({ ...env, PORT: String(await freePort()), METRICS_PORT: String(await freePort()), LOG_LEVEL: 'warn' })
  t.teardown(() => second.child.kill('SIGKILL'))
  const code = await within(second.exited, 60_000)
  t.equal(code, 1, 'a second one stops')
  t.match(second.output(), /dev auth cannot run as several instances/, 'saying why')
})
