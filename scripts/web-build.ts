// Builds the browser page (web/) into web/dist with Vite.
//   node scripts/web-build.ts             builds now (npm run build:web)
//   node scripts/web-build.ts --if-stale  builds only when web/dist is missing or stale
//   (--quiet: warnings only)
// ensureWebBuilt() is the second form, for `npm start` and `npm test`.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
export const webDir = join(root, 'web')
export const webDist = join(webDir, 'dist')

async function mtime (path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs
  } catch {
    return null
  }
}

async function newestUnder (path: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, (await mtime(join(entry.parentPath, entry.name))) ?? 0)
  }
  return newest
}

/** Why web/dist needs building, or null when it is up to date. */
export async function webBuildReason (): Promise<string | null> {
  const built = await mtime(join(webDist, 'index.html'))
  if (built === null) return 'web/dist/index.html is missing'
  const sources = Math.max(
    await newestUnder(join(webDir, 'src')),
    (await mtime(join(webDir, 'index.html'))) ?? 0,
    (await mtime(join(webDir, 'vite.config.ts'))) ?? 0)
  return sources > built ? 'web/src or web/index.html changed since the last build' : null
}

// .br and .gz beside each script and style sheet: the gateway sends them to
// browsers that accept them (@fastify/static's preCompressed), at no cost per request.
async function precompress (assetsDir: string): Promise<void> {
  for (const name of await readdir(assetsDir)) {
    if (!/\.(js|css|svg|json)$/.test(name)) continue
    const content = await readFile(join(assetsDir, name))
    await writeFile(join(assetsDir, `${name}.gz`), gzipSync(content, { level: 9 }))
    await writeFile(join(assetsDir, `${name}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
  }
}

/**
 * Builds into a fresh folder and then swaps it in, so a gateway serving
 * web/dist never sees a half-written build, and two builds at once do not
 * mix their files.
 */
export async function buildWeb (options: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite')
  const staging = join(webDir, `.dist-${process.pid}-${Date.now()}`)
  try {
    await build({
      root: webDir,
      configFile: join(webDir, 'vite.config.ts'),
      // Node runs the TypeScript config itself (type stripping): no temporary bundle of it.
      configLoader: 'native',
      logLevel: options.quiet ? 'warn' : 'info',
      build: { outDir: staging, emptyOutDir: true }
    })
    await precompress(join(staging, 'assets'))
    const old = join(webDir, `.dist-old-${process.pid}-${Date.now()}`)
    await rename(webDist, old).catch(() => {})
    try {
      await rename(staging, webDist)
    } catch (error) {
      // Another build (a parallel test file) swapped its own in meanwhile: same sources, as good as ours.
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error
    }
    await rm(old, { recursive: true, force: true })
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/**
 * Builds web/dist when it is missing or older than its sources, in a child
 * process: Vite and Rollup take a few hundred MiB that a long-lived process
 * (npm start's) would otherwise keep for its whole life.
 */
export async function ensureWebBuilt (options: { quiet?: boolean, log?: (line: string) => void } = {}): Promise<void> {
  const reason = await webBuildReason()
  if (reason === null) return
  options.log?.(`building the web page (${reason})`)
  await mkdir(webDir, { recursive: true })
  const args = [fileURLToPath(import.meta.url), ...(options.quiet ?? true ? ['--quiet'] : [])]
  await promisify(execFile)(process.execPath, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string, message: string }) => {
    throw new Error(error.stderr?.trim().split('\n').pop() ?? error.message)
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const say = (line: string) => process.stderr.write(`[web] ${line}\n`)
  try {
    if (process.argv.includes('--if-stale') && await webBuildReason() === null) {
      say('web/dist is up to date')
    } else {
      await buildWeb({ quiet: process.argv.includes('--quiet') })
      say(`built into ${webDist}`)
    }
  } catch (error) {
    say(`build failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}
