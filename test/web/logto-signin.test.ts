// Sign-in with Logto in a real browser: the page runs the authorization code
// flow with PKCE against a stand-in tenant, and the gateway, set up with
// LOGTO_DOMAIN, accepts the token it gets.
import t from 'tap'
import { ensureWebBuilt } from '../../scripts/web-build.ts'
import { startTestSystem } from '../helpers/system.ts'
import { openBrowser, reader, requireChromium } from './browser.ts'
import { startFakeOidc } from './fake-oidc.ts'

requireChromium()
await ensureWebBuilt()

const resource = 'https://api.playground.test'
const oidc = await startFakeOidc({
  clientId: 'playground-web',
  resource,
  subject: 'logto-student',
  grantedScopes: ['read:question', 'challenge', 'read:schema']
})
t.teardown(() => oidc.close())
// Not in lib/config.ts's table (yet): the runtime's workers read it from the environment.
const system = await startTestSystem(t, { LOGTO_DOMAIN: oidc.domain, GATEWAY_RESOURCE_INDICATOR: resource, LOGTO_APP_ID: oidc.clientId })
const { page, pageErrors, foreignRequests } = await openBrowser(t, system.url, [oidc.domain])
const { text } = reader(page)
const location = async () => await page.evaluate(() => (globalThis as any).location.href as string)

t.test('signs in with the authorization code flow and PKCE', async t => {
  const config = await (await fetch(`${system.url}/assets/web-config.json`)).json() as { scopes: string[] }
  t.same(config, { auth: 'logto', logtoEndpoint: oidc.domain, appId: oidc.clientId, resource, scopes: config.scopes })

  await page.goto(`${system.url}/#/questions?difficulty=easy`)
  t.equal(await page.getByRole('button', { name: 'Dev sign-in' }).count(), 0, 'no dev sign-in with Logto')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('link', { name: 'Electronics under 100' }).waitFor()

  const authorization = oidc.authorizations.at(-1)
  t.ok(authorization, 'the browser went to the authorization endpoint')
  t.equal(authorization?.get('code_challenge_method'), 'S256')
  t.equal(authorization?.get('resource'), resource)
  t.equal(authorization?.get('redirect_uri'), `${system.url}/`)
  t.match(authorization?.get('scope') ?? '', /^openid offline_access .*read:question/)
  t.equal(await location(), `${system.url}/#/questions?difficulty=easy`, 'back where it started, without the code in the address')
  t.match(await text('#session'), /Signed in as logto-student/)
})

t.test("the Logto token works against the gateway, with the user's scopes", async t => {
  await page.getByRole('link', { name: 'Electronics under 100' }).click()
  await page.locator('.schema .table-def').first().waitFor()
  t.match(await text('.solution'), /read:solution/, 'read:solution was not granted, so no solution link')
  await page.locator('.cm-content').click()
  await page.keyboard.insertText("SELECT name, price FROM products WHERE category = 'electronics' AND price < 100")
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  await page.locator('#result table').waitFor()
  t.equal(await text('#result .row-count'), '2 rows')
})

t.test('an expired access token is renewed with the refresh token', async t => {
  const before = oidc.tokenRequests.length
  await page.evaluate(() => {
    const storage = (globalThis as any).sessionStorage
    const session = JSON.parse(storage.getItem('playground.session'))
    storage.setItem('playground.session', JSON.stringify({ ...session, expiresAt: 0 }))
  })
  await page.reload()
  await page.getByRole('heading', { level: 1, name: 'Electronics under 100' }).waitFor()
  t.equal(oidc.tokenRequests.length, before + 1)
  t.equal(oidc.tokenRequests.at(-1)?.get('grant_type'), 'refresh_token')
  t.match(await text('#session'), /logto-student/, 'still signed in')
})

t.test('sign-out ends the Logto session too', async t => {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
  t.equal(oidc.endSessions.at(-1)?.get('post_logout_redirect_uri'), `${system.url}/`)
  t.equal(oidc.endSessions.at(-1)?.get('client_id'), oidc.clientId)
})

t.test('a callback that this page did not start is refused', async t => {
  await page.goto(`${system.url}/?code=forged&state=forged`)
  await page.locator('#notice', { hasText: 'does not match a sign-in started here' }).waitFor()
  t.equal(await location(), `${system.url}/`, 'the forged code is gone from the address')
  t.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).count(), 1)
})

t.test('only the page origin and the Logto tenant were contacted, and nothing threw', async t => {
  t.same(foreignRequests, [])
  t.same(pageErrors, [])
})
