// `npm run gateway:surface`: writes services/gateway/questions-surface.json,
// the gateway's OpenAPI config for the questions service, from the service's
// own document and the public operation table: every path or method that is
// not a public operation is ignored, so the gateway never composes it.
// Run it after adding a route to the questions service or a migration.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repositoryRoot } from '../launcher/system.ts'
import { questionsDocument } from './questions-document.ts'
import { surfaceConfig } from '../services/gateway/lib/surface.ts'
import { publicOperations } from '../services/gateway/lib/scopes.ts'

export const surfaceFile = join(repositoryRoot, 'services/gateway/questions-surface.json')

const document = await questionsDocument()
const config = surfaceConfig(document, publicOperations)
await writeFile(surfaceFile, JSON.stringify(config, null, 2) + '\n')
process.stderr.write(`[surface] ${Object.keys(config.paths).length} paths of the questions service are not public; wrote ${surfaceFile}\n`)
