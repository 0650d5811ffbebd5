import { startEmbeddedPostgres } from '/work/main/lib/embedded-postgres.ts'
import { migrate } from '/work/main/lib/migrations.ts'
import { loadSeeds } from '/work/main/lib/seed.ts'
import { spawn } from 'node:child_process'
import pg from 'pg'
const t0 = Date.now()
const db = await startEmbeddedPostgres({ dataDir: '/tmp/scratch/pgdata' })
console.log('pg', Date.now() - t0)
await migrate(db.url)
const c = new pg.Client(db.url); await c.connect(); console.log(await loadSeeds(c)); await c.end()
const child = spawn(process.execPath, ['/work/main/bench/questions-direct.ts'], { env: { PATH: process.env.PATH, DATABASE_URL: db.url, BENCH_DIRECT_PORT: '39123', NODE_ENV: 'production', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] })
let out = ''
child.stdout.on('data', d => { out += d; process.stdout.write(d) })
while (!out.includes('DIRECT')) await new Promise(r => setTimeout(r, 100))
console.log('direct up', Date.now() - t0)
const r = await fetch('http://127.0.0.1:39123/questions')
console.log(r.status, (await r.text()).slice(0, 300))
child.kill('SIGTERM')
await new Promise(r => child.on('exit', r))
await db.stop()
