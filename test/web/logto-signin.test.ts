// Sign-in with Logto in a real browser: the page (Logto's browser SDK) signs
// in through a real OpenID provider set up as Logto, with the redirect, the
// code flow and PKCE; the gateway, set up with LOGTO_DOMAIN, accepts the token;
// an expired access token is renewed with the refresh token; sign-out ends
// the provider's session.
import t from 'tap'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureWebBuilt } from '../../scripts/web-build.ts'
import { freePort } from '../../launcher/free-port.ts'
import { startOidcProvider } from '../helpers/oidc-provider.ts'
import { startTestSystem } from '../helpers/system.ts'
import { openBrowser, reader, requireChromium, screenshotDir } from './browser.ts'

requireChromium()
await ensureWebBuilt()

const resource = 'https://api.playground.test'
const appId = 'playground-web'
// The page's address must be registered with the provider before it starts.
const port = await freePort()
const pageUrl = `http://127.0.0.1:${port}`
const oidc = await startOidcProvider({
  resource,
  spa: { clientId: appId, redirectUris: [`${pageUrl}/`] },
  // Like a Logto role: no read:solution for this student.
  users: { 'logto-student': ['read:question', 'challenge', 'read:schema'] },
  defaultUser: 'logto-student',
  // Short-lived, so that the test sees one expire for real.
  accessTokenTtlSec: 4
})
t.teardown(() => oidc.close())
const system = await startTestSystem(t, { PORT: String(port), LOGTO_DOMAIN: oidc.domain, GATEWAY_RESOURCE_INDICATOR: resource, LOGTO_APP_ID: appId })
const { page, pageErrors, foreignRequests } = await openBrowser(t, system.url, [oidc.domain])
const { text } = reader(page)
const location = async () => await page.evaluate(() => (globalThis as any).location.href as string)
const authorizations: URL[] = []
page.on('request', request => {
  if (request.url().startsWith(`${oidc.issuer}/auth?`)) authorizations.push(new URL(request.url()))
})
// What the SDK keeps in localStorage, read as it is.
const stored = async (item: 'accessToken' | 'refreshToken' | 'idToken') =>
  await page.evaluate(key => (globalThis as any).localStorage.getItem(key) as string | null, `logto:${appId}:${item}`)
const apiAccessToken = async () => {
  const map = JSON.parse(await stored('accessToken') ?? '{}') as Record<string, { token: string, expiresAt: number }>
  return map[`@${resource}`]
}
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>
const refreshGrants = () => oidc.grants.filter(grant => grant === 'refresh_token').length
const screenshot = async (name: string) => {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `logto-${name}.png`), fullPage: true })
}

t.test('signs in with a redirect to the provider, the code flow and PKCE', async t => {
  t.equal(system.url, pageUrl)
  const config = await (await fetch(`${system.url}/assets/web-config.json`)).json() as { scopes: string[] }
  t.same(config, { auth: 'logto', logtoEndpoint: oidc.domain, appId, resource, scopes: config.scopes })

  await page.goto(`${system.url}/#/questions?difficulty=easy`)
  t.equal(await page.getByRole('button', { name: 'Dev sign-in' }).count(), 0, 'no dev sign-in with Logto')
  await screenshot('sign-in')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('link', { name: 'Electronics under 100' }).waitFor()

  const authorization = authorizations.at(-1)
  t.ok(authorization, 'the browser went to the authorization endpoint')
  t.equal(authorization?.searchParams.get('client_id'), appId)
  t.equal(authorization?.searchParams.get('code_challenge_method'), 'S256')
  t.ok(authorization?.searchParams.get('code_challenge'))
  t.equal(authorization?.searchParams.get('resource'), resource)
  t.equal(authorization?.searchParams.get('redirect_uri'), `${system.url}/`)
  t.match(authorization?.searchParams.get('scope') ?? '', /\bopenid\b.*\boffline_access\b.*\bread:question\b/)
  t.same(oidc.grants.slice(0, 2), ['authorization_code', 'refresh_token'], 'the code was exchanged, then the access token for the API asked for')
  t.equal(await location(), `${system.url}/#/questions?difficulty=easy`, 'back where it started, without the code in the address')
  t.match(await text('#session'), /Signed in as logto-student/)

  const token = await apiAccessToken()
  t.ok(token, 'the SDK holds an access token for the API resource')
  const claims = claimsOf(token?.token ?? '')
  t.match(claims, { iss: oidc.issuer, aud: resource, sub: 'logto-student' })
  t.same(String(claims.scope).split(' ').sort(), ['challenge', 'read:question', 'read:schema'], 'the scopes of the user, not read:solution')
  await screenshot('signed-in')
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
  await screenshot('question')
})

t.test('an expired access token is renewed with the refresh token', async t => {
  const before = await apiAccessToken()
  if (!before) throw new Error('no access token to wait for')
  const refreshesBefore = refreshGrants()
  // Away from the page until the token has expired, then back.
  await page.goto('about:blank')
  // The SDK goes by its own estimate, taken when it got the token (at or after exp).
  const expiresAt = Math.max(claimsOf(before.token).exp as number, before.expiresAt) * 1000
  await new Promise(resolve => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 500))
  await page.goto(`${system.url}/#/questions`)
  await page.getByRole('link', { name: 'Electronics under 100' }).waitFor()

  t.ok(refreshGrants() > refreshesBefore, 'the SDK used the refresh token')
  const after = await apiAccessToken()
  t.not(after?.token, before.token, 'a new access token')
  t.ok((claimsOf(after?.token ?? '').exp as number) * 1000 > Date.now(), 'that has not expired')
  t.match(await text('#session'), /logto-student/, 'still signed in')
})

t.test('sign-out revokes the refresh token and ends the provider session', async t => {
  const refreshToken = await stored('refreshToken')
  t.ok(refreshToken, 'signed in with a refresh token')
  const ended = oidc.endedSessions
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
  t.equal(oidc.endedSessions, ended + 1, 'the provider ended its session')
  t.equal(await location(), `${system.url}/`, 'and sent the browser back to the page')
  t.equal(await stored('refreshToken'), null, 'the page forgot its tokens')
  t.equal(await stored('idToken'), null)
  await t.rejects(oidc.refresh(refreshToken as string, appId), /invalid_grant/, 'the refresh token no longer works')
  await screenshot('signed-out')
})

t.test('a callback that this page did not start is refused', async t => {
  await page.goto(`${system.url}/?code=forged&state=forged`)
  await page.locator('#notice', { hasText: 'does not match a sign-in started here' }).waitFor()
  t.equal(await location(), `${system.url}/`, 'the forged code is gone from the address')
  t.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).count(), 1)
})

t.test('only the page origin and the provider were contacted, and nothing threw', async t => {
  t.same(foreignRequests, [])
  t.same(pageErrors, [])
})
