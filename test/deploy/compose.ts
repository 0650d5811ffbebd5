// deploy/compose.yaml as compose reads it: the YAML (anchors resolved), and
// its ${NAME}, ${NAME:-default} and ${NAME:?message} values filled in from
// an environment, as `docker compose` does from deploy/.env.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { parseDocuments } from './kustomize.ts'
import { deployDir } from './manifests.ts'

export interface ComposeService {
  image?: string
  build?: { context: string, dockerfile: string }
  command?: string[]
  environment?: Record<string, string>
  depends_on?: Record<string, { condition: string }> | string[]
  ports?: string[]
  volumes?: string[]
  read_only?: boolean
  tmpfs?: string[]
  stop_grace_period?: string
  healthcheck?: { test: string[] }
}

export interface ComposeFile {
  services: Record<string, ComposeService>
  [key: string]: unknown
}

export const composeFile = join(deployDir, 'compose.yaml')

export function readCompose (): ComposeFile {
  const [compose, ...more] = parseDocuments(readFileSync(composeFile, 'utf8'), 'deploy/compose.yaml')
  if (more.length > 0) throw new Error('deploy/compose.yaml must hold one document')
  return compose as ComposeFile
}

/** The example environment of deploy/compose.env.example. */
export function exampleEnvironment (): Record<string, string> {
  return parseEnv(readFileSync(join(deployDir, 'compose.env.example'), 'utf8')) as Record<string, string>
}

export function interpolate (value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (_match, name: string, operator: string | undefined, argument: string) => {
    const given = env[name]
    const set = operator?.startsWith(':') ? given !== undefined && given !== '' : given !== undefined
    if (operator?.endsWith('?') && !set) throw new Error(`${name}: ${argument}`)
    if (operator?.endsWith('-') && !set) return argument
    return given ?? ''
  })
}

/** The services that run the image built from deploy/Containerfile with the runtime's command. */
export function runtimeServices (compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, service]) => service.build?.dockerfile === 'deploy/Containerfile' && service.command === undefined)
}
