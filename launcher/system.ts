// The whole system in one call: backing services, then the Platformatic
// runtime with the effective settings in its environment. Used by
// `npm start` and by the tests, so both start it the same way.
import { create } from '@platformatic/runtime'
import { fileURLToPath } from 'node:url'
import { exportConfig, type Config } from '../lib/config.ts'
import { startBackingServices, type BackingServices } from './backing-services.ts'

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url))

// The part of Platformatic's Runtime used here (its published typings omit these).
export interface Runtime {
  getUrl: () => string
  close: () => Promise<void>
  inject: (id: string, request: { method: string, url: string, headers?: Record<string, string>, body?: unknown }) => Promise<{ statusCode: number, headers: Record<string, string>, body: string }>
}

export interface System {
  url: string
  runtime: Runtime
  services: BackingServices
  close: () => Promise<void>
}

export async function startSystem (config: Config, log: (line: string) => void): Promise<System> {
  const services = await startBackingServices(config, log)
  for (const note of services.notes) log(note)

  // The runtime's configuration templates and its worker threads read the
  // effective settings from the environment.
  Object.assign(process.env, exportConfig(config), {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl
  })

  let runtime: Runtime
  try {
    runtime = await create(repositoryRoot, 'platformatic.runtime.json', { start: true, setupSignals: false }) as unknown as Runtime
  } catch (error) {
    await services.stop()
    throw error
  }

  let closing: Promise<void> | undefined
  return {
    url: runtime.getUrl(),
    runtime,
    services,
    close: () => {
      closing ??= (async () => {
        try {
          await runtime.close()
        } finally {
          await services.stop()
        }
      })()
      return closing
    }
  }
}
