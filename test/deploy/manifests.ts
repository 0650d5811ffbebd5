// The rendered Kubernetes variants of deploy/kubernetes, and typed access
// to the objects in them.
import { join, resolve } from 'node:path'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import { build, type Resource } from './kustomize.ts'

export const repositoryRoot = resolve(import.meta.dirname, '../..')
export const deployDir = join(repositoryRoot, 'deploy')
export const kubernetesDir = join(deployDir, 'kubernetes')

/** The kustomizations a user applies: the base, the example overlay, standalone mode. */
export const variants = ['base', 'overlays/example', 'standalone'] as const
export type Variant = typeof variants[number]

export function render (variant: Variant): Resource[] {
  return build(join(kubernetesDir, variant))
}

export function find<T> (resources: Resource[], kind: string, name: string): T {
  const found = resources.find(resource => resource.kind === kind && resource.metadata.name === name)
  if (!found) throw new Error(`no ${kind}/${name}`)
  return found as unknown as T
}

export function all<T> (resources: Resource[], kind: string): T[] {
  return resources.filter(resource => resource.kind === kind) as unknown as T[]
}

/** The pod template of a Deployment or Job. */
export function podSpecOf (workload: IDeployment | IJob): IPodSpec {
  const spec = workload.spec?.template.spec
  if (!spec) throw new Error(`${workload.metadata?.name} has no pod template`)
  return spec
}

export const workloads = (resources: Resource[]) => [...all<IDeployment>(resources, 'Deployment'), ...all<IJob>(resources, 'Job')]

/** What the pods see as their environment: the ConfigMap's data and the Secret's values. */
export function settingsOf (resources: Resource[]): { configMap: Record<string, string>, secret: Record<string, string> } {
  const configMap = find<IConfigMap>(resources, 'ConfigMap', 'playground-settings').data ?? {}
  const secretObject = find<ISecret>(resources, 'Secret', 'playground-secrets')
  const encoded = Object.fromEntries(Object.entries(secretObject.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]))
  return { configMap, secret: { ...encoded, ...secretObject.stringData } }
}

/** Whether a selector's labels are all among a pod's labels. */
export function selects (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value)
}
