// Renders the kustomizations of deploy/kubernetes the way `kustomize build`
// does, for the features those files use: resources (files and folders),
// namespace, images and patches (a strategic merge of maps, `$patch: delete`
// of a whole object). kustomize itself is not an npm package; anything else
// in a kustomization.yaml, or a patch that needs more of the strategic merge
// (lists merged by key), is refused here rather than rendered wrongly.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'

export interface Resource {
  apiVersion: string
  kind: string
  metadata: { name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }
  [field: string]: unknown
}

interface Patch { path?: string, patch?: string, target?: { kind?: string, name?: string } }
interface Image { name: string, newName?: string, newTag?: string }

const supportedFields = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches'])
// Lists that a strategic merge merges by a key instead of replacing.
const listsMergedByKey = new Set(['containers', 'initContainers', 'env', 'volumes', 'volumeMounts', 'ports', 'imagePullSecrets', 'topologySpreadConstraints'])
const clusterScoped = new Set(['Namespace', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding'])

const repositoryRoot = resolve(import.meta.dirname, '../..')
const shown = (path: string) => relative(repositoryRoot, path)

type Plain = Record<string, unknown>
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The YAML documents of a text; a syntax error or duplicate key throws. */
export function parseDocuments (text: string, source: string): Plain[] {
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })
  const list = Array.isArray(documents) ? documents : [documents]
  const values: Plain[] = []
  for (const document of list) {
    const problem = document.errors[0] ?? document.warnings[0]
    if (problem) throw new Error(`${source}: ${problem.message}`)
    const value = document.toJS({ maxAliasCount: 100 })
    if (value === null || value === undefined) continue // a document of comments only
    if (!isPlain(value)) throw new Error(`${source}: a document is not a mapping`)
    values.push(value)
  }
  return values
}

export function readResources (file: string): Resource[] {
  return parseDocuments(readFileSync(file, 'utf8'), shown(file)).map(value => {
    const metadata = value.metadata
    if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isPlain(metadata) || typeof metadata.name !== 'string') {
      throw new Error(`${shown(file)}: every object needs apiVersion, kind and metadata.name`)
    }
    return value as Resource
  })
}

export const resourceId = (resource: Pick<Resource, 'kind' | 'metadata'>) => `${resource.kind}/${resource.metadata.name}`

function strategicMerge (target: Plain, patch: Plain, at: string): void {
  for (const [key, value] of Object.entries(patch)) {
    const path = `${at}.${key}`
    if (key.startsWith('$')) throw new Error(`${path}: only a whole-object "$patch: delete" is supported`)
    if (value === null) {
      delete target[key]
    } else if (isPlain(value) && isPlain(target[key])) {
      strategicMerge(target[key] as Plain, value, path)
    } else if (Array.isArray(value) && listsMergedByKey.has(key)) {
      throw new Error(`${path}: a list that kustomize merges by key; this renderer only replaces lists`)
    } else {
      target[key] = structuredClone(value)
    }
  }
}

function applyPatch (resources: Resource[], patch: Patch, dir: string, source: string): Resource[] {
  let documents: Plain[]
  if (patch.path !== undefined) {
    const file = resolve(dir, patch.path)
    if (!existsSync(file)) throw new Error(`${source}: patch ${patch.path} does not exist`)
    documents = parseDocuments(readFileSync(file, 'utf8'), shown(file))
  } else if (patch.patch !== undefined) {
    documents = parseDocuments(patch.patch, `${source} (inline patch)`)
  } else {
    throw new Error(`${source}: a patch needs path or patch`)
  }
  // As kustomize: one object per patch.
  if (documents.length !== 1) throw new Error(`${source}: a patch must hold exactly one object, ${patch.path ?? 'an inline one'} has ${documents.length}`)
  const body = documents[0]
  const metadata = isPlain(body.metadata) ? body.metadata : {}
  const kind = patch.target?.kind ?? body.kind
  const name = patch.target?.name ?? metadata.name
  const matches = resources.filter(resource => resource.kind === kind && resource.metadata.name === name)
  if (matches.length !== 1) throw new Error(`${source}: the patch of ${kind}/${name} matches ${matches.length} objects`)
  const [target] = matches
  if (body.$patch === 'delete') return resources.filter(resource => resource !== target)
  if (body.apiVersion !== undefined && body.apiVersion !== target.apiVersion) throw new Error(`${source}: the patch of ${resourceId(target)} names apiVersion ${body.apiVersion}, the object ${target.apiVersion}`)
  strategicMerge(target, body, resourceId(target))
  return resources
}

function podSpecs (resource: Resource): Plain[] {
  const spec = resource.spec
  if (!isPlain(spec) || !isPlain(spec.template) || !isPlain(spec.template.spec)) return []
  return [spec.template.spec]
}

function applyImage (resources: Resource[], image: Image): void {
  for (const podSpec of resources.flatMap(podSpecs)) {
    for (const container of [...(podSpec.containers as Plain[] ?? []), ...(podSpec.initContainers as Plain[] ?? [])]) {
      const reference = String(container.image)
      const [name, tag] = reference.split(/:(?=[^/:]+$)/)
      if (name !== image.name) continue
      container.image = `${image.newName ?? name}${(image.newTag ?? tag) ? `:${image.newTag ?? tag}` : ''}`
    }
  }
}

/** The objects that `kustomize build dir` would print, in no particular order. */
export function build (dir: string): Resource[] {
  const file = join(dir, 'kustomization.yaml')
  if (!existsSync(file)) throw new Error(`${shown(dir)} has no kustomization.yaml`)
  const [kustomization, ...more] = parseDocuments(readFileSync(file, 'utf8'), shown(file))
  if (!kustomization || more.length > 0) throw new Error(`${shown(file)} must hold one document`)
  if (kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || kustomization.kind !== 'Kustomization') {
    throw new Error(`${shown(file)}: expected apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization`)
  }
  const unsupported = Object.keys(kustomization).filter(key => !supportedFields.has(key))
  if (unsupported.length > 0) throw new Error(`${shown(file)}: fields this renderer does not support: ${unsupported.join(', ')}`)

  let resources: Resource[] = []
  for (const entry of kustomization.resources as string[] ?? []) {
    const path = resolve(dir, entry)
    if (!existsSync(path)) throw new Error(`${shown(file)}: resource ${entry} does not exist`)
    resources.push(...(statSync(path).isDirectory() ? build(path) : readResources(path)))
  }
  const ids = resources.map(resourceId)
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index)
  if (repeated) throw new Error(`${shown(file)}: ${repeated} is defined twice`)

  for (const patch of kustomization.patches as Patch[] ?? []) resources = applyPatch(resources, patch, dir, shown(file))
  if (typeof kustomization.namespace === 'string') {
    for (const resource of resources) if (!clusterScoped.has(resource.kind)) resource.metadata.namespace = kustomization.namespace
  }
  for (const image of kustomization.images as Image[] ?? []) applyImage(resources, image)
  return resources
}
