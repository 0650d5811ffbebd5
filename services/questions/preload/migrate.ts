// Applies pending migrations before the questions application starts:
// Platformatic DB reads the tables when it starts, so they must exist by
// then. The one migration runner (lib/migrations.ts, under a PostgreSQL
// advisory lock, so instances starting together apply each migration once)
// runs here for the runtime (`npm start`, `wattpm start`), and from
// `npm run db:migrate` and the standalone launcher. Never from a request.
import { loadConfig } from '../../../lib/config.ts'
import { migrate } from '../../../lib/migrations.ts'

const { DATABASE_URL: url } = loadConfig()
if (url) {
  const result = await migrate(url)
  if (result.applied.length > 0) {
    process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), name: 'questions', msg: `migrations applied: ${result.applied.join(', ')} (version ${result.to})` }) + '\n')
  }
}
