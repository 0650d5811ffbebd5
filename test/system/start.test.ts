import t from 'tap'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../../launcher/free-port.ts'
import { childPids, isAlive, launch, waitForOutput } from '../helpers/launcher.ts'

async function embeddedDatabase (dataDir: string, output: string) {
  const port = output.match(/PostgreSQL: embedded on 127\.0\.0\.1:(\d+)/)?.[1]
  const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim()
  const client = new pg.Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', password, database: 'playground' })
  await client.connect()
  return client
}

t.test('npm start runs everything on embedded defaults, stops cleanly and keeps data', async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-start-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const env = { DATA_DIR: dataDir, PORT: String(await freePort()), METRICS_PORT: String(await freePort()), LOG_LEVEL: 'warn' }

  const first = launch(env)
  t.teardown(() => first.child.kill('SIGKILL'))
  const [, url] = await waitForOutput(first, /API:\s+(http:\/\/\S+)/)
  t.match(first.output(), /API docs:\s+http:\/\/\S+\/openapi\/docs/, 'prints where the docs are')
  const health = await fetch(`${url}/healthz`)
  t.equal(health.status, 200, 'healthz answers 200')

  const client = await embeddedDatabase(dataDir, first.output())
  const { rows: [counts] } = await client.query('SELECT (SELECT count(*)::int FROM schemas) AS schemas, (SELECT count(*)::int FROM questions) AS questions')
  t.ok(counts.schemas >= 3 && counts.questions >= 12, `seed data is in the database (${JSON.stringify(counts)})`)
  await client.query(`INSERT INTO groups (name) VALUES ('kept across restarts')`)
  await client.end()

  const children = childPids(first.child.pid!)
  t.ok(children.length >= 2, `postgres and redis-server run as children (${children.join(', ')})`)
  first.child.kill('SIGTERM')
  t.equal(await first.exited, 0, 'SIGTERM exits 0')
  t.match(first.output(), /stopped/)
  await new Promise(resolve => setTimeout(resolve, 200))
  t.same(children.filter(isAlive), [], 'no process is left behind')

  const second = launch(env)
  t.teardown(() => second.child.kill('SIGKILL'))
  await waitForOutput(second, /API:\s+http/)
  const again = await embeddedDatabase(dataDir, second.output())
  const kept = await again.query(`SELECT 1 FROM groups WHERE name = 'kept across restarts'`)
  t.equal(kept.rowCount, 1, 'a restart keeps the data')
  const { rows: [recount] } = await again.query('SELECT (SELECT count(*)::int FROM schemas) AS schemas, (SELECT count(*)::int FROM questions) AS questions')
  t.same(recount, counts, 'and does not seed twice')
  await again.end()
  const secondChildren = childPids(second.child.pid!)
  second.child.kill('SIGINT')
  t.equal(await second.exited, 0, 'Ctrl+C (SIGINT) exits 0')
  await new Promise(resolve => setTimeout(resolve, 200))
  t.same(secondChildren.filter(isAlive), [], 'no process is left behind')
})

t.test('startup fails clearly on bad settings', async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-bad-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const cases: [string, Record<string, string>, RegExp][] = [
    ['unreachable DATABASE_URL', { DATABASE_URL: `postgres://nobody:secret@127.0.0.1:${await freePort()}/none` }, /DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/none/],
    ['malformed DATABASE_URL', { DATABASE_URL: 'postgres//oops' }, /DATABASE_URL: is not a valid URL/],
    ['bad PORT', { PORT: 'http' }, /PORT: expected a whole number/],
    ['bad LOG_LEVEL', { LOG_LEVEL: 'chatty' }, /LOG_LEVEL: expected one of/]
  ]
  for (const [name, env, message] of cases) {
    const launched = launch({ DATA_DIR: dataDir, ...env })
    const code = await launched.exited
    t.equal(code, 1, `${name}: exits 1`)
    t.match(launched.output(), message, `${name}: says what is wrong`)
    t.notMatch(launched.output(), /secret/, `${name}: does not print the password`)
  }
})
