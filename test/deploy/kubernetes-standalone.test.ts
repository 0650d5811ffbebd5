// Standalone mode on Kubernetes: each service's settings, Service, server
// certificate and mounted Secrets fit together the way launcher/standalone.ts
// and lib/tls.ts read them.
import t from 'tap'
import { dirname } from 'node:path'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IService } from 'kubernetes-models/v1/Service'
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate'
import type { IIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer'
import { loadConfig } from '../../lib/config.ts'
import { standaloneUrls } from '../../launcher/standalone.ts'
import { all, find, podSpecOf, render, selects, settingsOf } from './manifests.ts'

const resources = render('standalone')
const { configMap, secret } = settingsOf(resources)
const config = loadConfig({ ...configMap, ...secret })
const certificates = all<ICertificate>(resources, 'Certificate')

// The Secret mounted at a folder of a Deployment's container.
function secretMountedAt (deployment: IDeployment, folder: string): string | undefined {
  const pod = podSpecOf(deployment)
  const mount = pod.containers[0].volumeMounts?.find(item => item.mountPath === folder)
  return pod.volumes?.find(volume => volume.name === mount?.name)?.secret?.secretName
}

const certificateFor = (secretName: string | undefined) => certificates.find(certificate => certificate.spec?.secretName === secretName)

t.test('each service runs alone, as npm run start:<service>', async t => {
  for (const service of ['questions', 'dbrunner', 'gateway']) {
    const deployment = find<IDeployment>(resources, 'Deployment', `playground-${service}`)
    t.same(podSpecOf(deployment).containers[0].command, ['node', 'scripts/start-service.ts', service])
  }
  t.notOk(resources.some(resource => resource.kind === 'Deployment' && resource.metadata.name === 'playground'), 'no runtime Deployment')
})

t.test('the gateway and questions reach the other services at their Services, over TLS', async t => {
  const urls = standaloneUrls(config)
  for (const [service, url] of [['questions', urls.questions], ['dbrunner', urls.dbrunner]] as const) {
    const parsed = new URL(url)
    t.equal(parsed.protocol, 'https:', `${service}: HTTPS`)
    const target = find<IService>(resources, 'Service', parsed.hostname)
    const deployment = find<IDeployment>(resources, 'Deployment', `playground-${service}`)
    t.ok(selects(target.spec?.selector, deployment.spec?.template.metadata?.labels), `${parsed.hostname} selects the ${service} pods`)
    const port = target.spec?.ports?.find(item => item.port === Number(parsed.port))
    t.ok(port, `${parsed.hostname} has port ${parsed.port}`)
    const listens = service === 'questions' ? config.QUESTIONS_PORT : config.DB_RUNNER_PORT
    t.equal(podSpecOf(deployment).containers[0].ports?.find(item => item.name === port?.targetPort)?.containerPort, listens, `${service} listens on the port the Service targets`)

    const serverSecret = secretMountedAt(deployment, dirname(config.TLS_CERT_FILE))
    t.equal(dirname(config.TLS_KEY_FILE), dirname(config.TLS_CERT_FILE), 'certificate and key in one Secret')
    const certificate = certificateFor(serverSecret)
    t.ok(certificate, `${service} mounts a cert-manager certificate at ${dirname(config.TLS_CERT_FILE)}`)
    t.ok(certificate?.spec?.dnsNames?.includes(parsed.hostname), `its certificate names ${parsed.hostname}`)
    t.ok(certificate?.spec?.usages?.includes('server auth'), 'for server authentication')
  }
})

t.test('every service presents the client certificate and trusts the project CA', async t => {
  t.equal(dirname(config.CLIENT_TLS_CERT_FILE), dirname(config.CLIENT_TLS_KEY_FILE))
  for (const deployment of all<IDeployment>(resources, 'Deployment')) {
    const client = certificateFor(secretMountedAt(deployment, dirname(config.CLIENT_TLS_CERT_FILE)))
    t.ok(client?.spec?.usages?.includes('client auth'), `${deployment.metadata?.name}: a client certificate`)
    // cert-manager writes the issuing CA beside each certificate as ca.crt.
    t.equal(config.TLS_CA_CERT_FILE, `${dirname(config.CLIENT_TLS_CERT_FILE)}/ca.crt`, 'the project CA is the issuer of the mounted certificate')
  }
})

t.test('one CA issues every certificate', async t => {
  const caIssuer = find<IIssuer>(resources, 'Issuer', 'playground-ca')
  const caCertificate = certificateFor(caIssuer.spec?.ca?.secretName)
  t.equal(caCertificate?.spec?.isCA, true, 'the CA issuer signs with a CA certificate')
  t.match(caCertificate?.spec?.issuerRef, { kind: 'Issuer', name: 'playground-selfsigned' })
  t.ok(find<IIssuer>(resources, 'Issuer', 'playground-selfsigned').spec?.selfSigned, 'which is self-signed')
  for (const certificate of certificates.filter(item => item !== caCertificate)) {
    t.match(certificate.spec?.issuerRef, { kind: 'Issuer', name: 'playground-ca' }, `${certificate.metadata?.name} from the CA issuer`)
    t.match(certificate.spec?.privateKey, { algorithm: 'ECDSA', rotationPolicy: 'Always' }, `${certificate.metadata?.name}: a new key on each renewal`)
  }
})

t.test('the public Service and the Ingress lead to the gateway', async t => {
  const gateway = find<IDeployment>(resources, 'Deployment', 'playground-gateway')
  const service = find<IService>(resources, 'Service', 'playground')
  t.ok(selects(service.spec?.selector, gateway.spec?.template.metadata?.labels))
  const container = podSpecOf(gateway).containers[0]
  t.match(container.readinessProbe?.httpGet, { path: '/readyz' })
  t.match(container.livenessProbe?.httpGet, { path: '/healthz' })
  t.equal(container.ports?.find(port => port.name === 'http')?.containerPort, config.PORT)
})
