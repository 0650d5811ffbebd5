import pg from 'pg'
import { randomBytes } from 'node:crypto'

interface Teardown { teardown: (fn: () => unknown) => void }

export function testPostgresUrl (): string {
  const url = process.env.TEST_POSTGRES_URL
  if (!url) throw new Error('TEST_POSTGRES_URL is unset: run the suites with `npm test`, which starts PostgreSQL and Redis')
  return url
}

export function databaseUrl (name: string): string {
  const url = new URL(testPostgresUrl())
  url.pathname = `/${name}`
  return url.toString()
}

// A fresh, empty database for one test file, dropped when it ends.
export async function createTestDatabase (t: Teardown): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: testPostgresUrl() })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl() })
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await client.end()
  })
  return databaseUrl(name)
}

export async function withClient<T> (url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
