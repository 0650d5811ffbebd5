// `npm run bank:export -- FILE` and `npm run bank:import -- FILE [--dry-run] [--replace]`:
// the catalogue as a question bank, out of and into DATABASE_URL (or the
// embedded PostgreSQL under DATA_DIR when it is unset). The import checks
// every schema and question with the runner's code in this process, so no
// running system is needed; it applies pending migrations first, as
// `npm run db:seed` does. A line per item goes to stderr.
import pg from 'pg'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ConfigError, loadConfig } from '../lib/config.ts'
import { HttpError } from '../lib/http-error.ts'
import { migrate } from '../lib/migrations.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { toolDatabase } from '../launcher/database.ts'
import { repositoryRoot } from '../launcher/system.ts'
import { exportBank, importBank, type ImportReport } from '../services/questions/lib/bank.ts'
import { parseBank } from '../services/questions/lib/bank-schema.ts'
import { pgDatabase } from '../services/questions/lib/pg-database.ts'
import { inProcessAnalyser } from './in-process-analyser.ts'

const say = (line: string) => process.stderr.write(`[bank] ${line}\n`)
const usage = 'usage: npm run bank:export -- FILE | npm run bank:import -- FILE [--dry-run] [--replace]'

const [command, ...rest] = process.argv.slice(2)
const flags = rest.filter(arg => arg.startsWith('--'))
const [file] = rest.filter(arg => !arg.startsWith('--'))

function summary (report: ImportReport): string {
  const count = (lists: { schemas: string[], questions: string[], datasets: string[] }) =>
    `${lists.schemas.length} schemas, ${lists.questions.length} questions, ${lists.datasets.length} hidden datasets`
  return [
    `${report.dry_run ? 'dry run, nothing written: would create' : 'created'} ${count(report.created)}`,
    `updated ${count(report.updated)}`,
    `unchanged ${count(report.unchanged)}`,
    ...(report.deleted.datasets.length > 0 ? [`deleted ${report.deleted.datasets.length} hidden datasets`] : []),
    ...(report.conflicts.length > 0 ? [`${report.conflicts.length} conflicts`] : [])
  ].join('; ')
}

async function withDatabase<T> (work: (client: pg.Client, url: string) => Promise<T>): Promise<T> {
  applyDotEnv(repositoryRoot)
  const { url, stop } = await toolDatabase(loadConfig(), say)
  try {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await work(client, url)
    } finally {
      await client.end()
    }
  } finally {
    await stop()
  }
}

async function exportTo (path: string): Promise<void> {
  const bank = await withDatabase(client => exportBank(pgDatabase(client)))
  const text = JSON.stringify(bank, null, 2) + '\n'
  if (path === '-') {
    process.stdout.write(text)
  } else {
    await writeFile(`${path}.tmp`, text)
    await rename(`${path}.tmp`, path)
  }
  say(`exported ${bank.schemas.length} schemas and ${bank.questions.length} questions${path === '-' ? '' : ` to ${path}`}`)
}

async function importFrom (path: string): Promise<void> {
  const unknown = flags.filter(flag => !['--dry-run', '--replace'].includes(flag))
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}; ${usage}`)
  let document: unknown
  try {
    document = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new Error(`${path}: ${error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message}`)
  }
  const bank = parseBank(document)
  const analyser = await inProcessAnalyser()
  const report = await withDatabase(async (client, url) => {
    const up = await migrate(url)
    if (up.applied.length > 0) say(`applied migrations ${up.applied.join(', ')}`)
    return importBank(pgDatabase(client), bank, { mode: flags.includes('--replace') ? 'replace' : 'merge', dryRun: flags.includes('--dry-run'), analyser, progress: say })
  })
  say(summary(report))
}

async function main () {
  if (!file || !['export', 'import'].includes(command ?? '')) throw new Error(usage)
  if (command === 'export') await exportTo(file === '-' ? '-' : resolve(file))
  else await importFrom(resolve(file))
}

main().catch(error => {
  if (error instanceof ConfigError) say(`configuration error: ${error.message}`)
  else if (error instanceof HttpError) {
    say(`refused: ${error.message}`)
    const conflicts = (error.details as { conflicts?: { kind: string, id: string, fields: string[] }[] } | undefined)?.conflicts ?? []
    for (const conflict of conflicts) say(`conflict: ${conflict.kind} ${conflict.id} (${conflict.fields.join(', ')})`)
  } else say(`failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
