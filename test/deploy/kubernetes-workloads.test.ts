// What the Kubernetes objects promise beyond their schemas: probes on the
// gateway's /readyz and /healthz, a drain before SIGTERM, the measured
// memory, a read-only root, metrics where Prometheus looks, and references
// between objects (selectors, Secrets, ports) that point at something.
import t from 'tap'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IService } from 'kubernetes-models/v1/Service'
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate'
import { all, find, podSpecOf, render, selects, settingsOf, variants, workloads } from './manifests.ts'

const mebibytes = (quantity: string | number | undefined) => {
  const match = String(quantity).match(/^(\d+)(Mi|Gi)$/)
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`)
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1)
}

t.test('base: the runtime Deployment', async t => {
  const resources = render('base')
  const deployment = find<IDeployment>(resources, 'Deployment', 'playground')
  const pod = podSpecOf(deployment)
  const [container] = pod.containers
  const { configMap } = settingsOf(resources)

  t.equal(deployment.spec?.replicas, 3)
  t.same(container.command, ['node', 'scripts/start.ts'], 'the launcher: settings checked, drain on SIGTERM')
  const portNamed = (name: string) => container.ports?.find(port => port.name === name)?.containerPort
  t.equal(portNamed('http'), Number(configMap.PORT), 'the http port is PORT')
  t.equal(portNamed('metrics'), Number(configMap.METRICS_PORT), 'the metrics port is METRICS_PORT')

  t.match(container.readinessProbe?.httpGet, { path: '/readyz', port: 'http' }, 'readiness on /readyz')
  t.match(container.livenessProbe?.httpGet, { path: '/healthz', port: 'http' }, 'liveness on /healthz')
  t.match(container.startupProbe?.httpGet, { path: '/healthz', port: 'http' }, 'a startup probe holds liveness back while starting')

  const preStop = container.lifecycle?.preStop?.exec?.command ?? []
  t.equal(preStop[0], 'sleep', 'preStop waits while the endpoints are withdrawn')
  const drainSeconds = Number(preStop[1]) + Number(configMap.SHUTDOWN_DRAIN_MS) / 1000
  // scripts/start.ts forces its exit 25 s after SIGTERM (plus SHUTDOWN_DRAIN_MS).
  t.ok((pod.terminationGracePeriodSeconds ?? 30) >= drainSeconds + 25, 'the grace period covers the wait and the graceful stop')

  const resourcesOf = container.resources
  t.ok(mebibytes(resourcesOf?.requests?.memory) >= 600, 'the memory request covers the measured idle size (505-510 MiB)')
  t.ok(mebibytes(resourcesOf?.limits?.memory) >= 900, 'the memory limit is well above the measured peak (about 585 MiB)')
  t.ok(resourcesOf?.requests?.cpu && resourcesOf.limits?.cpu, 'CPU request and limit')
  t.equal(String(resourcesOf?.limits?.cpu), configMap.RUNNER_POOL_SIZE, 'as many SQL runs at once as the pod has cores')

  t.match(deployment.spec?.template.metadata?.annotations, {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': configMap.METRICS_PORT,
    'prometheus.io/path': '/metrics'
  }, 'Prometheus scrape annotations')

  const hpa = find<IHorizontalPodAutoscaler>(resources, 'HorizontalPodAutoscaler', 'playground')
  t.match(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'playground' })
  t.equal(hpa.spec.minReplicas, 3)
  t.equal(hpa.spec.metrics?.[0].resource?.name, 'cpu', 'scales on CPU')

  const pdb = find<IPodDisruptionBudget>(resources, 'PodDisruptionBudget', 'playground')
  t.ok(selects(pdb.spec?.selector?.matchLabels, deployment.spec?.template.metadata?.labels), 'the disruption budget covers the pods')

  const job = find<IJob>(resources, 'Job', 'playground-migrate')
  t.same(podSpecOf(job).containers[0].command, ['node', 'scripts/db.ts', 'migrate'], 'the Job runs what npm run db:migrate runs')
})

for (const variant of variants) {
  t.test(`${variant}: every pod is locked down`, async t => {
    for (const workload of workloads(render(variant))) {
      const name = workload.metadata?.name
      const pod = podSpecOf(workload)
      t.equal(pod.securityContext?.runAsNonRoot, true, `${name}: runs as non-root`)
      t.equal(pod.automountServiceAccountToken, false, `${name}: no API token`)
      for (const container of pod.containers) {
        t.equal(container.securityContext?.readOnlyRootFilesystem, true, `${name}: read-only root filesystem`)
        t.equal(container.securityContext?.allowPrivilegeEscalation, false, `${name}: no privilege escalation`)
        t.same(container.securityContext?.capabilities?.drop, ['ALL'], `${name}: no capabilities`)
        const tmp = container.volumeMounts?.find(mount => mount.mountPath === '/tmp')
        t.ok(tmp && pod.volumes?.find(volume => volume.name === tmp.name)?.emptyDir, `${name}: a writable emptyDir at /tmp`)
        t.ok(container.resources?.requests?.memory && container.resources.limits?.memory, `${name}: memory request and limit`)
        t.same(container.envFrom?.map(source => source.configMapRef?.name ?? source.secretRef?.name), ['playground-settings', 'playground-secrets'], `${name}: every setting from the ConfigMap and the Secret`)
      }
    }
  })

  t.test(`${variant}: references point at something`, async t => {
    const resources = render(variant)
    const deployments = all<IDeployment>(resources, 'Deployment')
    const secretNames = new Set([
      ...resources.filter(resource => resource.kind === 'Secret').map(resource => resource.metadata.name),
      ...all<ICertificate>(resources, 'Certificate').map(certificate => certificate.spec?.secretName)
    ])
    for (const service of all<IService>(resources, 'Service')) {
      const targets = deployments.filter(deployment => selects(service.spec?.selector, deployment.spec?.template.metadata?.labels))
      t.equal(targets.length, 1, `Service ${service.metadata?.name} selects one Deployment's pods`)
      const containerPorts = targets.flatMap(deployment => podSpecOf(deployment).containers.flatMap(container => container.ports ?? []))
      for (const port of service.spec?.ports ?? []) {
        t.ok(containerPorts.some(containerPort => containerPort.name === port.targetPort), `Service ${service.metadata?.name}: target port ${port.targetPort} exists`)
      }
    }
    for (const ingress of all<IIngress>(resources, 'Ingress')) {
      for (const path of ingress.spec?.rules?.flatMap(rule => rule.http?.paths ?? []) ?? []) {
        const backend = path.backend.service
        const service = find<IService>(resources, 'Service', backend?.name ?? '')
        t.ok(service.spec?.ports?.some(port => port.name === backend?.port?.name), `Ingress ${ingress.metadata?.name}: the backend port exists`)
      }
    }
    for (const deployment of deployments) {
      for (const volume of podSpecOf(deployment).volumes ?? []) {
        if (volume.secret) t.ok(secretNames.has(volume.secret.secretName), `${deployment.metadata?.name}: Secret ${volume.secret.secretName} exists or is issued`)
      }
    }
    for (const hpa of all<IHorizontalPodAutoscaler>(resources, 'HorizontalPodAutoscaler')) {
      t.ok(deployments.some(deployment => deployment.metadata?.name === hpa.spec.scaleTargetRef.name), `autoscaler ${hpa.metadata?.name} scales a Deployment`)
    }
    for (const pdb of all<IPodDisruptionBudget>(resources, 'PodDisruptionBudget')) {
      t.equal(deployments.filter(deployment => selects(pdb.spec?.selector?.matchLabels, deployment.spec?.template.metadata?.labels)).length, 1, `budget ${pdb.metadata?.name} covers one Deployment`)
    }
  })
}

t.test('overlays/example: namespace and image', async t => {
  const resources = render('overlays/example')
  for (const resource of resources.filter(resource => resource.kind !== 'Namespace')) t.equal(resource.metadata.namespace, 'playground', `${resource.kind}/${resource.metadata.name} is in the namespace`)
  for (const workload of workloads(resources)) {
    t.equal(podSpecOf(workload).containers[0].image, 'registry.example.org/database-playground:1.0.0', `${workload.metadata?.name} runs the registry image`)
  }
})
