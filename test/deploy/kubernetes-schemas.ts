// Checks Kubernetes objects with `kubernetes-models` (classes generated from
// the Kubernetes API's OpenAPI document, validated with its JSON schemas)
// and `@kubernetes-models/cert-manager` (from cert-manager's published CRD
// schemas). Those schemas, like the API server's non-strict decoding, let
// unknown fields through; `kubectl apply` refuses them. So the same
// package's TypeScript declarations are checked too, by the TypeScript
// compiler: an object literal with an unknown field is an error there.
import { join, resolve } from 'node:path'
import ts from 'typescript'
import type { Resource } from './kustomize.ts'

const modelModules: Record<string, string> = {
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'v1/Service': 'kubernetes-models/v1/Service',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'networking.k8s.io/v1/Ingress': 'kubernetes-models/networking.k8s.io/v1/Ingress',
  'autoscaling/v2/HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'cert-manager.io/v1/Certificate': '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate',
  'cert-manager.io/v1/Issuer': '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer'
}

function modelModule (resource: Pick<Resource, 'apiVersion' | 'kind'>): string {
  const module = modelModules[`${resource.apiVersion}/${resource.kind}`]
  if (!module) throw new Error(`no schema known here for ${resource.apiVersion} ${resource.kind}`)
  return module
}

interface ValidationError extends Error { errors?: { instancePath: string, message?: string }[] }

/** The schema errors of one object ("" when it is valid). */
export async function schemaErrors (resource: Resource): Promise<string> {
  const module = await import(modelModule(resource)) as Record<string, new (data: unknown) => { validate: () => void }>
  const Model = module[resource.kind]
  try {
    new Model(structuredClone(resource)).validate()
    return ''
  } catch (error) {
    const errors = (error as ValidationError).errors
    return errors ? errors.map(item => `${item.instancePath || '/'} ${item.message}`).join('; ') : (error as Error).message
  }
}

// The virtual file sits in this folder, so the project's node_modules
// resolve its imports.
const virtualFile = join(import.meta.dirname, '__manifests__.ts')

/**
 * Type errors of each object checked as a literal of its package type, by
 * object index; an unknown or misspelt field is one.
 */
export function typeErrors (resources: Resource[]): Map<number, string[]> {
  let text = '// checked in memory by test/deploy/kubernetes-schemas.ts\n'
  resources.forEach((resource, index) => {
    text += `import type { I${resource.kind} as T${index} } from '${modelModule(resource)}'\n`
  })
  // The line each object starts on, to tell whose an error is.
  const firstLine: number[] = []
  resources.forEach((resource, index) => {
    firstLine[index] = text.split('\n').length - 1
    text += `export const object${index}: T${index} = ${JSON.stringify(resource, null, 2)}\n`
  })

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: []
  }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.getSourceFile = (name, version, ...rest) => resolve(name) === virtualFile
    ? ts.createSourceFile(name, text, version)
    : getSourceFile.call(host, name, version, ...rest)
  host.fileExists = name => resolve(name) === virtualFile || fileExists.call(host, name)
  host.readFile = name => resolve(name) === virtualFile ? text : readFile.call(host, name)

  const program = ts.createProgram([virtualFile], options, host)
  const source = program.getSourceFile(virtualFile)!
  const found = new Map<number, string[]>()
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')
    if (diagnostic.file?.fileName !== source.fileName || diagnostic.start === undefined) {
      throw new Error(`the type check of the manifests failed outside them: ${message}`)
    }
    const line = source.getLineAndCharacterOfPosition(diagnostic.start).line
    const index = firstLine.findLastIndex(start => start <= line)
    if (index < 0) throw new Error(`the type check of the manifests failed in their imports: ${message}`)
    found.set(index, [...(found.get(index) ?? []), message])
  }
  return found
}
