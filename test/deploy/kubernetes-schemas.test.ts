// Every object of every Kubernetes variant is valid for the Kubernetes API
// (kubernetes-models) and for cert-manager (@kubernetes-models/cert-manager),
// with no unknown field; and the checks do refuse broken objects.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build, parseDocuments, readResources, resourceId, type Resource } from './kustomize.ts'
import { schemaErrors, typeErrors } from './kubernetes-schemas.ts'
import { kubernetesDir, render, variants } from './manifests.ts'

for (const variant of variants) {
  t.test(`${variant}: every object is valid for its API`, async t => {
    const resources = render(variant)
    t.ok(resources.length >= 8, `${resources.length} objects`)
    for (const resource of resources) {
      t.equal(await schemaErrors(resource), '', `${resourceId(resource)} (${resource.apiVersion}) matches its schema`)
    }
    const unknown = typeErrors(resources)
    for (const [index, messages] of unknown) t.fail(`${resourceId(resources[index])}: ${messages.join('; ')}`)
    t.equal(unknown.size, 0, 'no unknown or mistyped field in any object')
  })
}

t.test('the variants hold what they should', async t => {
  const kinds = (resources: Resource[]) => resources.map(resourceId).sort()
  t.same(kinds(render('base')), [
    'ConfigMap/playground-settings', 'Deployment/playground', 'HorizontalPodAutoscaler/playground', 'Ingress/playground',
    'Job/playground-migrate', 'PodDisruptionBudget/playground', 'Secret/playground-secrets', 'Service/playground'
  ])
  t.same(kinds(render('overlays/example')), [...kinds(render('base')), 'Namespace/playground'].sort())
  t.same(kinds(render('standalone')).filter(id => /^(Deployment|Certificate|Issuer)\//.test(id)), [
    'Certificate/playground-ca', 'Certificate/playground-client', 'Certificate/playground-dbrunner-server', 'Certificate/playground-questions-server',
    'Deployment/playground-dbrunner', 'Deployment/playground-gateway', 'Deployment/playground-questions',
    'Issuer/playground-ca', 'Issuer/playground-selfsigned'
  ])
})

t.test('every YAML file under deploy/kubernetes parses and is used', async t => {
  const files = readdirSync(kubernetesDir, { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.yaml'))
  const referenced = new Set<string>()
  for (const dir of new Set(files.filter(name => name.endsWith('kustomization.yaml')).map(name => join(kubernetesDir, name, '..')))) {
    const [kustomization] = parseDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'), dir)
    for (const entry of [...(kustomization.resources as string[] ?? []), ...(kustomization.patches as { path?: string }[] ?? []).flatMap(patch => patch.path ?? [])]) {
      referenced.add(relative(kubernetesDir, join(dir, entry)))
    }
    t.doesNotThrow(() => build(dir), `${relative(kubernetesDir, dir)} renders`)
  }
  for (const file of files.filter(name => !name.endsWith('kustomization.yaml'))) {
    t.ok(referenced.has(file), `${file} is named by a kustomization`)
    t.doesNotThrow(() => parseDocuments(readFileSync(join(kubernetesDir, file), 'utf8'), file), `${file} parses`)
  }
})

t.test('the checks refuse broken objects', async t => {
  const deployment = readResources(join(kubernetesDir, 'base/deployment.yaml'))[0] as Resource & { spec: any }
  const container = deployment.spec.template.spec.containers[0]

  const wrongType = structuredClone(deployment)
  wrongType.spec.template.spec.containers[0].ports[0].containerPort = 'http'
  t.match(await schemaErrors(wrongType), /containerPort must be integer/, 'a port given as text')

  const missing = structuredClone(deployment)
  delete missing.spec.selector
  t.match(await schemaErrors(missing), /selector/, 'a Deployment without its selector')

  const misspelt = structuredClone(deployment)
  misspelt.spec.template.spec.containers[0] = { ...container, readinesProbe: container.readinessProbe }
  t.equal(await schemaErrors(misspelt), '', 'the API schema lets an unknown field through')
  t.match([...typeErrors([misspelt]).values()].flat().join(' '), /readinesProbe/, 'the type check names it')

  const certificate = readResources(join(kubernetesDir, 'standalone/certificates.yaml')).find(resource => resource.kind === 'Certificate') as Resource & { spec: any }
  const badUsage = structuredClone(certificate)
  badUsage.spec.usages = ['server-auth']
  t.match(await schemaErrors(badUsage), /usages\/0 must be equal to one of the allowed values/, 'a key usage cert-manager does not know')
  const noIssuer = structuredClone(certificate)
  delete noIssuer.spec.issuerRef
  t.match(await schemaErrors(noIssuer), /issuerRef/, 'a Certificate without its issuer')

  await t.rejects(schemaErrors({ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'x' } }), /no schema known here/, 'an unknown kind is not waved through')
})

t.test('the renderer refuses what it cannot render', async t => {
  const fixtures = join(import.meta.dirname, 'fixtures')
  t.throws(() => build(join(fixtures, 'missing-resource')), /resource absent\.yaml does not exist/)
  t.throws(() => build(join(fixtures, 'unsupported-field')), /does not support: commonLabels/)
  t.throws(() => build(join(fixtures, 'keyed-list-patch')), /merges by key/)
})
