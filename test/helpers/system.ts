import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../lib/config.ts'
import { freePort } from '../../launcher/free-port.ts'
import { repositoryRoot, startSystem, type System } from '../../launcher/system.ts'
import { readDotEnv } from '../../launcher/dotenv.ts'
import { createTestDatabase } from './database.ts'
import { testRedisEnv } from './redis.ts'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface TestSystem extends System {
  databaseUrl: string
}

// The whole runtime in this test process, on a fresh database, the shared
// test Redis and free ports; closed when the test ends.
export async function startTestSystem (t: Teardown, env: Record<string, string> = {}): Promise<TestSystem> {
  if (readDotEnv(repositoryRoot)) {
    throw new Error('.env exists at the repository root: the runtime would read it over the test settings; move it aside while the tests run')
  }
  const databaseUrl = await createTestDatabase(t)
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-system-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: '0',
    METRICS_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...testRedisEnv(),
    ...env
  })
  const system = await startSystem(config, () => {})
  t.teardown(async () => {
    await system.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  return { ...system, databaseUrl }
}
