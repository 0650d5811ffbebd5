import { createSigner, createVerifier } from 'fast-jwt'
import { generateKeyPairSync } from 'node:crypto'
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' })
const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string
const token = createSigner({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, algorithm: 'ES384' })({ sub: 'x' })
for (const cache of [false, true]) {
  const verify = createVerifier({ key: pem, cache })
  const n = 2000; const t = performance.now()
  for (let i = 0; i < n; i++) verify(token)
  console.log('cache', cache, ((performance.now() - t) / n).toFixed(3), 'ms per verify')
}
