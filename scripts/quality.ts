// `npm run quality [-- --json]`: the quality report of every question in the
// database (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR): is its
// answer deterministic, and how many mutants of it its data tells apart
// (the score leaves out the mutants judged equivalent to the answer).
// The runner runs in this process; nothing else needs to be started.
import pg from 'pg'
import { ConfigError, loadConfig } from '../lib/config.ts'
import { applyDotEnv } from '../launcher/dotenv.ts'
import { toolDatabase } from '../launcher/database.ts'
import { repositoryRoot } from '../launcher/system.ts'
import { createLocalRunner } from '../services/dbrunner/lib/local-runner.ts'
import { qualityReport, type QualityReport } from '../services/dbrunner/lib/quality.ts'

const say = (line: string) => process.stderr.write(`[quality] ${line}\n`)
const json = process.argv.includes('--json')

interface Row { id: string, title: string, report: QualityReport | null, problem?: string }

async function reports (url: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const runner = createLocalRunner()
  try {
    const { rows: questions } = await client.query<Record<string, any>>(`
      SELECT q.id, q.title, q.answer, q.row_order, q.column_names, q.numeric_tolerance, q.equivalent_mutants, s.initial_sql,
        ARRAY(SELECT d.initial_sql FROM hidden_datasets d WHERE d.question_id = q.id ORDER BY d.id) AS datasets
      FROM questions q JOIN schemas s ON s.id = q.schema_id ORDER BY q.id`).catch((error: { code?: string }) => {
      // 42P01, 42703: tables or columns of the catalogue missing: not migrated yet.
      if (error.code === '42P01' || error.code === '42703') throw new Error('this database has no catalogue yet, or an older one: run npm run db:migrate (and npm run db:seed for the seed catalogue) first')
      throw error
    })
    const out: Row[] = []
    for (const [index, question] of questions.entries()) {
      const started = Date.now()
      try {
        const report = await qualityReport(runner.runSql, {
          database: question.initial_sql,
          datasets: question.datasets,
          answer: question.answer,
          settings: { row_order: question.row_order ?? 'auto', column_names: question.column_names ?? 'ignore', numeric_tolerance: question.numeric_tolerance === null ? null : Number(question.numeric_tolerance) },
          equivalentMutants: question.equivalent_mutants ?? []
        })
        out.push({ id: String(question.id), title: question.title, report })
        say(`${index + 1}/${questions.length} question ${question.id}: score ${report.mutants.score} (${report.mutants.killed} of ${report.mutants.total - report.mutants.equivalent} killed, ${report.mutants.equivalent} judged equivalent), ${Date.now() - started} ms`)
      } catch (error) {
        out.push({ id: String(question.id), title: question.title, report: null, problem: (error as Error).message })
        say(`${index + 1}/${questions.length} question ${question.id}: cannot be analysed: ${(error as Error).message}`)
      }
    }
    return out
  } finally {
    await runner.close()
    await client.end()
  }
}

function table (rows: Row[]): string {
  const lines = [
    '| # | Question | Hidden datasets | Deterministic | Mutants | Equivalent | Killed | Score | Survivors |',
    '| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |'
  ]
  let total = 0
  let equivalent = 0
  let killed = 0
  for (const { id, title, report, problem } of rows) {
    if (!report) {
      lines.push(`| ${id} | ${title} | | no: ${problem} | | | | | |`)
      continue
    }
    total += report.mutants.total
    equivalent += report.mutants.equivalent
    killed += report.mutants.killed
    const survivors = report.survivors.map(survivor => survivor.operator).join(', ')
    lines.push(`| ${id} | ${title} | ${report.datasets} | ${report.deterministic ? 'yes' : 'no'} | ${report.mutants.total} | ${report.mutants.equivalent} | ${report.mutants.killed} | ${report.mutants.score.toFixed(2)} | ${survivors} |`)
  }
  const counted = total - equivalent
  lines.push(`| | **all** | | | **${total}** | **${equivalent}** | **${killed}** | **${(counted === 0 ? 1 : killed / counted).toFixed(2)}** | |`)
  return lines.join('\n')
}

async function main () {
  applyDotEnv(repositoryRoot)
  const config = loadConfig()
  const { url, stop } = await toolDatabase(config, say)
  try {
    const rows = await reports(url)
    process.stdout.write(json ? JSON.stringify(rows, null, 2) + '\n' : table(rows) + '\n')
  } finally {
    await stop()
  }
}

main().catch(error => {
  say(error instanceof ConfigError ? `configuration error: ${error.message}` : `failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
