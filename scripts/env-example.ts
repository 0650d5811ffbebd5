// Prints .env.example from the settings table: `npm run env:example > .env.example`.
import { settings } from '../lib/config.ts'

const lines = [
  '# Every setting the system reads, with its default. Copy to .env and',
  '# uncomment what you change. Values in .env win over the environment',
  '# (the Platformatic runtime reads .env that way, and `npm start` agrees).',
  '# `wattpm start` needs PORT, HOSTNAME, LOG_LEVEL, METRICS_PORT and',
  '# DATABASE_URL set here; `npm start` fills in defaults by itself.',
  ''
]
for (const [name, setting] of Object.entries(settings)) {
  lines.push(`# ${setting.description}`, `# ${name}=${setting.default}`, '')
}
process.stdout.write(lines.join('\n'))
