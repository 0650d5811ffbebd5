// `npm run bank:export` and `npm run bank:import` as a user runs them, on
// test databases: a round trip from a seeded catalogue into an empty one,
// with the checks run in process (no system running).
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { repositoryRoot } from '../../launcher/system.ts'
import { migrate } from '../../lib/migrations.ts'
import { loadSeeds } from '../../lib/seed.ts'
import { createTestDatabase, withClient } from '../helpers/database.ts'

const run = promisify(execFile)

async function bank (databaseUrl: string, ...args: string[]): Promise<{ code: number, stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [join(repositoryRoot, 'scripts/bank.ts'), ...args], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      timeout: 120_000
    })
    return { code: 0, stderr }
  } catch (error) {
    const failed = error as { code?: number, stderr?: string }
    return { code: failed.code ?? 1, stderr: failed.stderr ?? '' }
  }
}

const countsOf = (url: string) => withClient(url, async client => (await client.query(`SELECT (SELECT count(*)::int FROM schemas) AS schemas,
  (SELECT count(*)::int FROM questions) AS questions, (SELECT count(*)::int FROM hidden_datasets) AS datasets`)).rows[0])

t.test('export, then import into an empty database: the same catalogue', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'playground-bank-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const source = await createTestDatabase(t)
  await migrate(source)
  await withClient(source, client => loadSeeds(client))
  const target = await createTestDatabase(t)

  const exported = await bank(source, 'export', join(dir, 'bank.json'))
  t.equal(exported.code, 0, exported.stderr)
  t.match(exported.stderr, /exported 3 schemas and 16 questions/)
  const file = await readFile(join(dir, 'bank.json'), 'utf8')
  t.equal(file, await readFile(join(repositoryRoot, 'seeds/catalogue.bank.json'), 'utf8'), 'a seeded catalogue exports as the seed bank, byte for byte')

  const dry = await bank(target, 'import', join(dir, 'bank.json'), '--dry-run')
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stderr, /applied migrations/, 'an empty database is migrated first')
  t.match(dry.stderr, /question 16: self-test passed/, 'every question is self-tested, a line each')
  t.match(dry.stderr, /would be: question 16: created/)
  t.match(dry.stderr, /dry run, nothing written: would create 3 schemas, 16 questions, 37 hidden datasets/)
  t.same(await countsOf(target), { schemas: 0, questions: 0, datasets: 0 }, 'the dry run wrote nothing')

  const imported = await bank(target, 'import', join(dir, 'bank.json'))
  t.equal(imported.code, 0, imported.stderr)
  t.match(imported.stderr, /hidden dataset 16\/2: created/)
  t.match(imported.stderr, /created 3 schemas, 16 questions, 37 hidden datasets/)
  const again = await bank(target, 'export', join(dir, 'again.json'))
  t.equal(again.code, 0, again.stderr)
  t.equal(await readFile(join(dir, 'again.json'), 'utf8'), file, 'the imported catalogue exports the same')

  const twice = await bank(target, 'import', join(dir, 'bank.json'))
  t.match(twice.stderr, /created 0 schemas, 0 questions, 0 hidden datasets; updated 0 schemas, 0 questions, 0 hidden datasets; unchanged 3 schemas, 16 questions, 37 hidden datasets/)

  // A conflict: refused (exit 1) unless --replace.
  const changed = JSON.parse(file)
  changed.questions[0].title = 'Cheap electronics'
  await writeFile(join(dir, 'changed.json'), JSON.stringify(changed))
  const refused = await bank(target, 'import', join(dir, 'changed.json'))
  t.equal(refused.code, 1)
  t.match(refused.stderr, /conflict: question 1 \(title\)/)
  const replaced = await bank(target, 'import', join(dir, 'changed.json'), '--replace')
  t.equal(replaced.code, 0, replaced.stderr)
  t.match(replaced.stderr, /question 1: updated/)
  const title = await withClient(target, async client => (await client.query('SELECT title FROM questions WHERE id = 1')).rows[0].title)
  t.equal(title, 'Cheap electronics')

  // Broken: nothing written, the question named.
  changed.questions[1].answer = 'SELECT nope FROM products'
  changed.questions[0].title = 'Cheaper electronics'
  await writeFile(join(dir, 'broken.json'), JSON.stringify(changed))
  const broken = await bank(target, 'import', join(dir, 'broken.json'), '--replace')
  t.equal(broken.code, 1)
  t.match(broken.stderr, /refused: question 2: answer: no such column: nope/)
  t.equal(await withClient(target, async client => (await client.query('SELECT title FROM questions WHERE id = 1')).rows[0].title), 'Cheap electronics', 'nothing written')

  t.match(await bank(target, 'import', join(dir, 'missing.json')), { code: 1, stderr: /missing\.json: ENOENT/ })
  await writeFile(join(dir, 'invalid.json'), '{"version": 1, "schemas": []}')
  t.match(await bank(target, 'import', join(dir, 'invalid.json')), { code: 1, stderr: /refused: questions: is required/ })
  t.match(await bank(target, 'import', join(dir, 'bank.json'), '--force'), { code: 1, stderr: /unknown option --force/ })
})
