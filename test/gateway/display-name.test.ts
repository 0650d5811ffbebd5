// The display name the gateway forwards with the user id: the token's `name`
// claim, else `username`, cleaned, percent-encoded in x-playground-name;
// never an e-mail address, and never a header a client sent.
import t from 'tap'
import Fastify from 'fastify'
import settingsPlugin from '../../lib/settings-plugin.ts'
import { displayNameOf } from '../../lib/identity-headers.ts'
import authPlugin from '../../services/gateway/plugins/auth.ts'
import errorsPlugin from '../../services/gateway/plugins/errors.ts'
import { publicOperations } from '../../services/gateway/lib/scopes.ts'
import { startFakeLogto } from './fake-logto.ts'
import { logtoOptions } from './auth-harness.ts'

const logto = await startFakeLogto()
t.teardown(() => logto.close())
const app = Fastify()
await app.register(settingsPlugin)
await app.register(errorsPlugin)
await app.register(authPlugin, logtoOptions(logto))
const operation = publicOperations.find(candidate => candidate.method === 'GET' && candidate.path === '/me/points')!
app.get('/me/points', { onRequest: [app.authorize(operation)] }, async request => ({
  header: request.headers['x-playground-name'] ?? null,
  name: displayNameOf(request.headers),
  user: request.headers['x-playground-user'] ?? null
}))
await app.ready()
t.teardown(() => app.close())

const forwarded = async (claims: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const response = await app.inject({ method: 'GET', url: '/me/points', headers: { authorization: `Bearer ${logto.token({ sub: 'learner-1', claims })}`, ...headers } })
  t.equal(response.statusCode, 200)
  return response.json() as { header: string | null, name: string | null, user: string }
}

t.test('the name claim, else username; percent-encoded on the way', async t => {
  t.same(await forwarded({ name: 'Ada Lovelace', username: 'ada' }), { header: 'Ada%20Lovelace', name: 'Ada Lovelace', user: 'learner-1' })
  t.match(await forwarded({ username: '  ada.l  ' }), { name: 'ada.l' }, 'username when there is no name, trimmed')
  t.match(await forwarded({ name: '   ', username: 'ada' }), { name: 'ada' }, 'a blank name does not count')
  t.match(await forwarded({ name: 'Zoë 学生 🙂' }), { header: encodeURIComponent('Zoë 学生 🙂'), name: 'Zoë 学生 🙂' })
  t.match(await forwarded({ name: 'x'.repeat(300) }), { name: 'x'.repeat(100) }, 'at most 100 characters')
  t.match(await forwarded({ name: 'Line\nbreak\u0000' }), { name: 'Line break' }, 'no control characters')
})

t.test('never an e-mail address, never a client\'s header', async t => {
  t.same(await forwarded({ email: 'ada@example.org' }), { header: null, name: null, user: 'learner-1' }, 'the email claim is never used')
  t.match(await forwarded({ name: 'ada@example.org', username: 'ada' }), { name: 'ada' }, 'a name that is an address is skipped')
  t.match(await forwarded({ name: 'Ada <ada@example.org>' }), { header: null, name: null })
  t.match(await forwarded({ name: 42 }), { header: null }, 'only text')
  t.match(await forwarded({}, { 'x-playground-name': 'Mallory' }), { header: null, name: null }, 'a header sent by the client is dropped')
  t.match(await forwarded({ name: 'Ada' }, { 'x-playground-name': 'Mallory' }), { name: 'Ada' })
})
