import { startBenchSystem, type Cleanups } from '../system.ts'
import { httpLoad } from '../measure.ts'
const cleanups: Cleanups = []
const dir = process.argv[2]!
const path = process.argv[3] ?? '/questions'
try {
  const s = await startBenchSystem(cleanups, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` })
  const auth = `Bearer ${s.logto.token({ sub: 'p', scope: 'read:question challenge' })}`
  const opts = path === '/challenges'
    ? { url: s.systemUrl + path, method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ questionID: '1', query: "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100" }) }
    : { url: s.systemUrl + path, headers: { authorization: auth } }
  console.log(await httpLoad({ ...opts, durationS: 6 }))
} finally {
  for (const fn of cleanups.reverse()) await fn().catch(() => {})
}
process.exit(0)
