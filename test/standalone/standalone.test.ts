// `npm run start:standalone` as its own process on loopback: the student
// flow through the gateway, then direct calls to questions and dbrunner with
// and without a valid client certificate.
import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../launcher/free-port.ts'
import { readDotEnv } from '../../launcher/dotenv.ts'
import { apiClient, studentScopes, teacherScopes } from '../helpers/api.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { childPids, isAlive, launch, waitForOutput, type Launched } from '../helpers/launcher.ts'
import { httpsAgent, makeCertificates, probe, servedNothing, tlsEnv, type TestCertificates } from './helpers.ts'
import { testRedisEnv } from '../helpers/redis.ts'

const root = new URL('../..', import.meta.url).pathname

function launchScript (script: string, args: string[], env: Record<string, string>): Launched {
  return launch(env, script, args)
}

if (readDotEnv(root)) throw new Error('.env exists at the repository root: it would override the test settings; move it aside while the tests run')

t.test('start:standalone: three processes, mutual TLS between them', async t => {
  const certs: TestCertificates = await makeCertificates(t)
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-standalone-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const ports = { gateway: await freePort(), questions: await freePort(), dbrunner: await freePort() }
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: await createTestDatabase(t),
    ...testRedisEnv(),
    HOSTNAME: '127.0.0.1',
    PORT: String(ports.gateway),
    QUESTIONS_PORT: String(ports.questions),
    DB_RUNNER_PORT: String(ports.dbrunner),
    CHALLENGE_RATE_LIMIT: '1000',
    ...tlsEnv(certs)
  }
  const launched = launchScript('scripts/standalone.ts', [], env)
  t.teardown(() => {
    if (launched.child.exitCode === null) launched.child.kill('SIGKILL')
  })
  const [, url] = await waitForOutput(launched, /API:\s+(http:\/\/\S+)/, 120_000)
  t.equal(url, `http://127.0.0.1:${ports.gateway}`)
  t.match(launched.output(), new RegExp(`questions: https://127\\.0\\.0\\.1:${ports.questions} \\(mutual TLS\\)`))
  t.match(launched.output(), new RegExp(`dbrunner:  https://127\\.0\\.0\\.1:${ports.dbrunner} \\(mutual TLS\\)`))
  const questionsUrl = `https://127.0.0.1:${ports.questions}`
  const dbrunnerUrl = `https://127.0.0.1:${ports.dbrunner}`

  t.test('the student flow through the gateway', async t => {
    const { token, call } = apiClient(url)
    const student = await token(studentScopes)
    t.equal((await call('GET', '/healthz')).status, 200)
    const list = await call('GET', '/questions', { token: student })
    t.equal(list.status, 200)
    t.ok(list.body.length >= 10, `questions are listed (${list.body.length})`)
    t.match(list.body[0], { id: '1', schema_id: 'shop', title: String })
    t.match((await call('GET', '/questions/1', { token: student })).body, { id: '1' })

    const created = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100" } })
    t.equal(created.status, 200, created.text)
    const id = created.body.challengeID
    t.match((await call('GET', `/challenges/${id}`, { token: student })).body, { header: ['name', 'price'], rows: [['Headphones', '79.9'], ['Keyboard', '49.5']] })
    t.same((await call('GET', `/challenges/${id}/compare`, { token: student })).body, { same: true })
    const wrong = await call('POST', '/challenges', { token: student, body: { questionID: '1', query: "SELECT 'Headphones', '79.9'" } })
    t.match((await call('GET', `/challenges/${wrong.body.challengeID}/compare`, { token: student })).body, { same: false })

    // questions -> dbrunner over mutual TLS: a teacher's SQL is checked.
    const teacher = await token(teacherScopes, 'teacher-1')
    t.match(await call('POST', '/schemas', { token: teacher, body: { id: 'broken', description: 'x', initial_sql: 'CREATE TABLE (' } }), { status: 400, body: { message: /^initial_sql: / } })
    const schema = await call('POST', '/schemas', { token: teacher, body: { id: 'garden', description: 'Plants', initial_sql: 'CREATE TABLE plants (name TEXT);' } })
    t.equal(schema.status, 201, schema.text)
    t.equal((await call('GET', '/crud/questions', { token: teacher })).status, 404, 'internal routes stay hidden at the gateway')
  })

  t.test('direct calls to questions and dbrunner', async t => {
    const agents = {
      'no client certificate': await httpsAgent(certs.ca.cert),
      'a certificate from a second CA': await httpsAgent(certs.ca.cert, certs.otherClient),
      'an expired certificate': await httpsAgent(certs.ca.cert, certs.expiredClient),
      'a server certificate used as a client certificate': await httpsAgent(certs.ca.cert, certs.serverAsClient)
    }
    const good = await httpsAgent(certs.ca.cert, certs.client)
    t.teardown(async () => {
      for (const agent of [...Object.values(agents), good]) await agent.close()
    })
    const targets: [string, string, RequestInit?][] = [
      ['questions GET /crud/questions', `${questionsUrl}/crud/questions?limit=1`],
      ['questions GET /documentation/json', `${questionsUrl}/documentation/json`],
      ['dbrunner GET /healthz', `${dbrunnerUrl}/healthz`],
      ['dbrunner POST /checks', `${dbrunnerUrl}/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ database: 'CREATE TABLE a (b INT);' }) }]
    ]
    for (const [target, targetUrl, init] of targets) {
      for (const [name, agent] of Object.entries(agents)) {
        const result = await probe(targetUrl, agent, init)
        t.ok(servedNothing(result), `${target} with ${name}: refused (${result.refused ? result.reason : `${result.status} ${result.body.slice(0, 80)}`})`)
      }
      const plain = await probe(targetUrl.replace('https:', 'http:'), undefined, init)
      t.ok(servedNothing(plain) || (!plain.refused && plain.status === 400 && plain.body.length < 100), `${target} over plain HTTP: nothing served`)
      const served = await probe(targetUrl, good, init)
      t.ok(!served.refused && served.status >= 200 && served.status < 300, `${target} with the project's client certificate: served (${served.refused ? served.reason : served.status})`)
    }
    const listed = await probe(`${questionsUrl}/crud/questions?limit=1`, good)
    t.match(JSON.parse(listed.refused ? '[]' : listed.body), [{ id: '1' }], 'and the data is there')
  })

  t.test('start:gateway alone, pointed at the others by URL, serving public HTTPS', async t => {
    const port = await freePort()
    const gateway = launchScript('scripts/start-service.ts', ['gateway'], {
      ...env,
      PORT: String(port),
      // localhost is in the server certificate's SAN too.
      QUESTION_MANAGER_SERVICE_URL: `https://localhost:${ports.questions}`,
      DB_RUNNER_SERVICE_URL: dbrunnerUrl,
      PUBLIC_TLS_CERT_FILE: certs.server.cert,
      PUBLIC_TLS_KEY_FILE: certs.server.key,
      // A gateway with its own dev issuer is a system of its own: its keys
      // in Redis must not meet the first gateway's.
      REDIS_KEY_PREFIX: 'second-gateway:'
    })
    t.teardown(() => {
      if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL')
    })
    await waitForOutput(gateway, /listening on (https:\/\/\S+)/, 60_000)
    const publicAgent = await httpsAgent(certs.ca.cert)
    t.teardown(() => publicAgent.close())
    const health = await probe(`https://127.0.0.1:${port}/healthz`, publicAgent)
    t.match(health, { refused: false, status: 200 }, 'public HTTPS, no client certificate needed')
    const tokenResponse = await probe(`https://127.0.0.1:${port}/dev/token`, publicAgent, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scopes: studentScopes }) })
    const token = tokenResponse.refused ? '' : JSON.parse(tokenResponse.body).access_token
    const list = await probe(`https://127.0.0.1:${port}/questions`, publicAgent, { headers: { authorization: `Bearer ${token}` } })
    t.match(list, { refused: false, status: 200 }, 'questions through the second gateway')
    gateway.child.kill('SIGTERM')
    t.equal(await gateway.exited, 0)
  })

  t.test('SIGTERM stops every process it started', async t => {
    const children = childPids(launched.child.pid!)
    t.ok(children.length >= 3, `the services run as children (${children.join(', ')})`)
    launched.child.kill('SIGTERM')
    t.equal(await launched.exited, 0, 'exits 0')
    t.match(launched.output(), /\[standalone\] stopped/)
    await new Promise(resolve => setTimeout(resolve, 300))
    t.same(children.filter(isAlive), [], 'no process is left behind')
    const gone = await probe(`${questionsUrl}/healthz`, undefined)
    t.ok(gone.refused, 'the ports are closed')
  })
})

t.test('a service refuses to start without its TLS files, naming the setting', async t => {
  const certs = await makeCertificates(t)
  const base = { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...tlsEnv(certs) }
  const cases: [string, string, Record<string, string>, RegExp][] = [
    ['questions', 'a missing server certificate', { TLS_CERT_FILE: join(certs.dir, 'nope.crt') }, /TLS_CERT_FILE: cannot read \S+nope\.crt: no such file/],
    ['dbrunner', 'a missing CA', { TLS_CA_CERT_FILE: join(certs.dir, 'nope-ca.crt') }, /TLS_CA_CERT_FILE: cannot read \S+nope-ca\.crt: no such file/],
    ['dbrunner', 'an unreadable key (a folder)', { TLS_KEY_FILE: certs.dir }, /TLS_KEY_FILE: cannot read \S+: is a folder/],
    ['gateway', 'a missing client key', { CLIENT_TLS_KEY_FILE: join(certs.dir, 'nope.key') }, /CLIENT_TLS_KEY_FILE: cannot read \S+nope\.key: no such file/],
    ['gateway', 'a client certificate from another CA', { CLIENT_TLS_CERT_FILE: certs.otherClient.cert, CLIENT_TLS_KEY_FILE: certs.otherClient.key }, /CLIENT_TLS_CERT_FILE: is not issued by the project CA/],
    ['questions', 'an expired certificate', { TLS_CERT_FILE: certs.expiredClient.cert, TLS_KEY_FILE: certs.expiredClient.key }, /TLS_CERT_FILE: the certificate expired/],
    ['questions', 'a key of another certificate', { TLS_KEY_FILE: certs.client.key }, /TLS_KEY_FILE: is not the private key of TLS_CERT_FILE/],
    ['gateway', 'half of the public HTTPS pair', { PUBLIC_TLS_CERT_FILE: certs.server.cert }, /PUBLIC_TLS_KEY_FILE: must be set/],
    ['gateway', 'a plain-HTTP service URL', { QUESTION_MANAGER_SERVICE_URL: 'http://127.0.0.1:3101' }, /QUESTION_MANAGER_SERVICE_URL: standalone services serve HTTPS/]
  ]
  for (const [service, name, env, message] of cases) {
    const launched = launchScript('scripts/start-service.ts', [service, '--no-dotenv'], { ...base, ...env })
    t.equal(await launched.exited, 1, `${service}, ${name}: exits 1`)
    t.match(launched.output(), message, `${service}, ${name}: says which setting`)
  }
  const launcher = launchScript('scripts/standalone.ts', [], { ...base, TLS_CERT_FILE: join(certs.dir, 'nope.crt'), DATA_DIR: certs.dir })
  t.equal(await launcher.exited, 1, 'start:standalone exits 1 too')
  t.match(launcher.output(), /configuration error: TLS_CERT_FILE: cannot read/)
  t.notMatch(launcher.output(), /PostgreSQL/, 'before starting anything')
})
