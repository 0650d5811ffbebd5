// The web page in a real browser (Debian's Chromium, driven by
// playwright-core) against the whole system in dev-auth mode: sign in, browse,
// run queries, compare, and every kind of failure shown to the person.
import t from 'tap'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ensureWebBuilt, webDist } from '../../scripts/web-build.ts'
import { startTestSystem } from '../helpers/system.ts'
import { apiClient } from '../helpers/api.ts'
import { openBrowser, reader, requireChromium, screenshotDir as screenshots } from './browser.ts'

const correctAnswer = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"

requireChromium()
await ensureWebBuilt()

t.test('the JavaScript of the first load stays under 300 KB gzipped; the workspace loads apart', async t => {
  const assets = join(webDist, 'assets')
  const gzipped = async (name: string) => gzipSync(await readFile(join(assets, name)), { level: 9 }).length
  // What index.html loads: its module script and what it preloads.
  const html = await readFile(join(webDist, 'index.html'), 'utf8')
  const firstLoad = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/assets\/([^"]+\.js)"/g)].map(match => match[1] as string)
  t.ok(firstLoad.length > 0, 'index.html loads JavaScript')
  let total = 0
  for (const name of firstLoad) total += await gzipped(name)
  t.ok(total < 300 * 1024, `first load: ${(total / 1024).toFixed(1)} KB gzipped (${firstLoad.join(', ')})`)
  const scripts = (await readdir(assets)).filter(name => name.endsWith('.js'))
  const workspace = scripts.filter(name => name.startsWith('workspace-'))
  t.equal(workspace.length, 1, 'the teachers\' workspace is a chunk of its own')
  t.notOk(firstLoad.some(name => workspace.includes(name)), 'that the first load does not fetch')
  t.ok(await gzipped(workspace[0] as string) > 0)
})

const system = await startTestSystem(t)
const api = apiClient(system.url)
const { page, pageErrors, foreignRequests } = await openBrowser(t, system.url)
const { text, texts } = reader(page)
// An empty editor shows its placeholder, which is no text of the query.
const editorText = async () => await page.locator('.cm-content .cm-placeholder').count() > 0
  ? ''
  : (await page.locator('.cm-content').innerText()).replace(/\n$/, '')

async function setQuery (query: string) {
  await page.locator('.cm-content').click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(query)
}

// Waits for a run to finish, whatever it shows: a result or an error.
async function runAndWait (how: 'button' | 'keyboard') {
  if (how === 'button') await page.getByRole('button', { name: 'Run', exact: true }).click()
  else await page.keyboard.press('ControlOrMeta+Enter')
  await page.waitForFunction(() => {
    const document = (globalThis as any).document
    return document.querySelector('#run')?.disabled === false && document.querySelector('.run-status')?.textContent === ''
  })
}

async function openQuestion (title: string) {
  await page.goto(`${system.url}/#/questions`)
  await page.getByRole('link', { name: title, exact: true }).click()
  await page.getByRole('heading', { level: 1, name: title }).waitFor()
}

t.test('dev sign-in, and it survives a reload', async t => {
  await page.goto(system.url)
  const signIn = page.getByRole('button', { name: 'Dev sign-in' })
  await signIn.waitFor()
  await signIn.click()
  await page.getByRole('heading', { level: 1, name: 'Questions' }).waitFor()
  t.match(await text('#session'), /Signed in as dev-student/)
  await page.reload()
  await page.getByRole('link', { name: 'Electronics under 100' }).waitFor()
  t.match(await text('#session'), /dev-student/, 'still signed in after a reload')
})

t.test('lists questions with paging and a difficulty filter', async t => {
  await page.goto(`${system.url}/#/questions`)
  await page.getByRole('link', { name: 'Electronics under 100' }).waitFor()
  const firstPage = await texts('table.questions tbody tr td:nth-child(2)')
  t.equal(firstPage.length, 10, 'ten questions a page')
  t.same(await texts('table.questions thead th'), ['#', 'Title', 'Type', 'Difficulty', 'You'])
  t.match(await text('table.questions tbody tr td:nth-child(4)'), 'easy', 'difficulty badge')

  await page.getByRole('link', { name: 'Next →' }).click()
  // The list is fetched page by page: wait for the second one.
  await page.locator('.pager', { hasText: 'Page 2' }).waitFor()
  const secondPage = await texts('table.questions tbody tr td:nth-child(2)')
  t.ok(secondPage.length > 0, 'the second page has questions')
  t.notOk(secondPage.some(title => firstPage.includes(title)), 'and they are other questions')
  t.match(await text('.pager'), /Page 2/)

  // Quick changes of page must not mix their lists.
  await page.goto(`${system.url}/#/questions?difficulty=easy`)
  await page.getByRole('button', { name: 'Refresh' }).click()
  await page.goto(`${system.url}/#/questions`)
  await page.getByRole('link', { name: 'Electronics under 100' }).waitFor()
  // Fewer than ten questions are easy: ten rows are the unfiltered page.
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('table.questions tbody tr').length === 10)
  const again = await texts('table.questions tbody tr td:nth-child(2)')
  t.same(again, firstPage, 'the same first page, without duplicates')

  await page.getByLabel('Difficulty').selectOption('hard')
  await page.waitForFunction(() => (globalThis as any).location.hash === '#/questions?difficulty=hard')
  await page.getByRole('link', { name: 'Customers above the average order value' }).waitFor()
  // Question 16 is on no first page but the hard one.
  await page.getByRole('link', { name: 'Students with missing grades' }).waitFor()
  const badges = await texts('table.questions tbody .badge')
  t.ok(badges.length >= 2, 'several hard questions')
  t.ok(badges.every(badge => badge === 'hard'), 'only hard questions, from every page of the catalogue')

  // Categories come from the API, with how many questions each has.
  await page.locator('#category-filter option[value="joins"]').waitFor({ state: 'attached' })
  t.equal(await text('#category-filter option[value="joins"]'), 'joins (3)')
  await page.getByLabel('Category').selectOption('joins')
  await page.waitForFunction(() => (globalThis as any).location.hash === '#/questions?type=joins&difficulty=hard')
  await page.getByText('No hard “joins” questions.').waitFor()
  await page.getByLabel('Difficulty').selectOption('medium')
  await page.getByRole('link', { name: 'Who ordered what' }).waitFor()
  t.same(await texts('table.questions tbody td:nth-child(2)'), ['Who ordered what', 'Authors never borrowed', 'Courses and their teachers'], 'both filters, on the server')
  t.ok((await texts('table.questions tbody td:nth-child(3)')).every(type => type === 'joins'))
})

t.test('runs the right answer and compares it', async t => {
  await openQuestion('Electronics under 100')
  t.match(await text('.description'), /electronics/)
  await page.locator('.schema .table-def summary', { hasText: 'products' }).waitFor()
  t.match(await text('.schema-description'), /online shop/, 'the schema is described')
  t.ok((await texts('.schema code')).includes('price'), 'the columns of its tables are listed')
  t.match(await text('.solution'), /costs points/, 'opening the solution is a choice: it costs points')
  await page.getByRole('button', { name: 'Show the solution video' }).click()
  await page.locator('.solution-link').waitFor()
  t.match(await text('.solution'), /Watch the solution video/, 'read:solution shows the solution video link after the click')

  await page.locator('.cm-content').click()
  await page.keyboard.type(correctAnswer)
  await page.keyboard.press('Escape') // closes the completion list if it is open
  t.equal(await editorText(), correctAnswer, 'the editor holds what was typed')
  await page.keyboard.press('ControlOrMeta+z')
  const undone = await editorText()
  t.ok(undone.length < correctAnswer.length && correctAnswer.startsWith(undone), 'undo takes back the typing')
  await page.keyboard.press('ControlOrMeta+Shift+z')
  t.equal(await editorText(), correctAnswer, 'redo puts it back')
  t.ok(await page.locator('.cm-line span[class]').count() >= 4, 'SQL is highlighted')

  await runAndWait('keyboard')
  await page.locator('#result table').waitFor()
  t.same(await texts('#result thead th'), ['name', 'price'])
  t.same(await texts('#result tbody tr:first-child td'), ['Headphones', '79.9'])
  t.equal(await text('#result .row-count'), '2 rows')
  t.match(await text('#result .elapsed'), /^\d+ ms$/, 'how long it took')

  await page.getByRole('button', { name: 'Compare with the answer' }).click()
  await page.locator('.verdict-same').waitFor()
  t.match(await text('.verdict'), /Same result as the reference answer/)

  await mkdir(screenshots, { recursive: true })
  await page.screenshot({ path: join(screenshots, 'result.png'), fullPage: true })
})

t.test('a wrong answer gets the reason and the differing rows', async t => {
  await setQuery('SELECT name FROM products')
  await runAndWait('button')
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#result thead th').length === 1)
  await page.getByRole('button', { name: 'Compare with the answer' }).click()
  await page.locator('.verdict-different').waitFor()
  t.match(await text('.verdict-title'), /Not the same: columns differ/)
  t.match(await text('.verdict-reason'), /check how many columns you select/)

  await setQuery("SELECT name, price * 2 FROM products WHERE category = 'electronics' AND price < 100")
  await runAndWait('keyboard')
  await page.locator('#result th', { hasText: 'price * 2' }).waitFor()
  await page.getByRole('button', { name: 'Compare with the answer' }).click()
  await page.locator('.verdict-different .diff').waitFor()
  t.match(await text('.verdict-title'), /Not the same: values differ/)
  t.match(await text('.diff-side.expected figcaption'), /Expected/)
  t.match(await text('.diff-side.actual figcaption'), /Yours/)
  const expected = await texts('.diff-side.expected td')
  const actual = await texts('.diff-side.actual td')
  t.equal(expected.length, 2, 'the expected row')
  t.equal(actual.length, 2, 'your row')
  t.equal(expected[0], actual[0], 'side by side: same product')
  t.equal(Number(actual[1]), Number(expected[1]) * 2, 'with your doubled price')
  t.same(await texts('.diff-side.actual th'), ['name', 'price * 2'], 'your row under your column names')
  await page.screenshot({ path: join(screenshots, 'wrong.png'), fullPage: true })
})

t.test('an SQL error and a timeout are shown by the editor', async t => {
  await setQuery('SELEC 1')
  await runAndWait('button')
  await page.locator('#run-error').waitFor()
  t.match(await text('#run-error'), /SQL error/)
  t.match(await text('#run-error'), /SELEC/, "the engine's message")
  t.equal(await page.locator('#result').isVisible(), false, 'no stale result next to the error')

  await setQuery('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n')
  await runAndWait('keyboard')
  await page.locator('#run-error', { hasText: 'query timeout' }).waitFor()
  t.match(await text('#run-error'), /Timeout: .*query timeout \(takes more than 1 second\)/)
})

t.test('NULL is shown apart from the text NULL', async t => {
  await openQuestion('Customers without an email')
  await setQuery("SELECT name, email, 'NULL' AS text FROM customers WHERE email IS NULL")
  await runAndWait('button')
  await page.locator('#result .null-badge').first().waitFor()
  const rows = await page.locator('#result tbody tr').count()
  t.ok(rows > 0)
  t.equal(await page.locator('#result tbody td:nth-child(2) .null-badge').count(), rows, 'every email is a null badge')
  t.equal(await page.locator('#result tbody td:nth-child(3) .null-badge').count(), 0, "the text 'NULL' is no badge")
  t.equal(await text('#result tbody td:nth-child(3)'), 'NULL')
  await page.screenshot({ path: join(screenshots, 'null.png'), fullPage: true })
})

async function useSession (session: Record<string, unknown>) {
  await page.goto(`${system.url}/#/questions`)
  await page.evaluate(value => (globalThis as any).sessionStorage.setItem('playground.session', value), JSON.stringify(session))
}

t.test('a refused token leads to sign-in; a missing scope is named', async t => {
  await useSession({ accessToken: 'not-a-token', expiresAt: Date.now() + 3_600_000, scopes: [], subject: 'someone' })
  await page.reload()
  await page.getByRole('button', { name: 'Dev sign-in' }).waitFor()
  t.match(await text('.sign-in .message'), /sign in again/i, '401 asks to sign in again')

  const token = await api.token(['read:question', 'challenge'], 'limited-student')
  await useSession({ accessToken: token, expiresAt: Date.now() + 3_600_000, scopes: ['read:question', 'challenge'], subject: 'limited-student' })
  await page.reload()
  await page.getByRole('link', { name: 'Electronics under 100' }).click()
  await page.locator('.schema .error').waitFor()
  t.match(await text('.schema .error'), /lacks the scope “read:schema”/, '403 names the missing scope')
  t.match(await text('.solution'), /read:solution/, 'no solution link without read:solution')
})

t.test('rate limits and network failures say what to do', async t => {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Dev sign-in' }).click()
  await openQuestion('Electronics under 100')

  // Stand-ins for the server: a limit this suite does not want to reach for real.
  await page.route('**/challenges', route => route.fulfill({
    status: 429,
    headers: { 'retry-after': '7', 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'too many queries: at most 30 a minute; try again in 7 s' })
  }))
  await setQuery('SELECT 1')
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  await page.locator('#run-error', { hasText: 'Too many requests' }).waitFor()
  t.match(await text('#run-error'), /Try again in 7 seconds/)
  t.equal(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled(), true, 'Run waits for the limit')
  await page.unroute('**/challenges')

  await page.route('**/questions?*', route => route.abort('connectionrefused'))
  await page.goto(`${system.url}/#/questions?page=1&difficulty=medium`)
  await page.reload()
  await page.locator('main .error', { hasText: 'Cannot reach the server' }).waitFor()
  t.ok(await page.getByRole('button', { name: 'Try again' }).isVisible(), 'and offers to try again')
  await page.unroute('**/questions?*')
})

t.test('sign out', async t => {
  await page.goto(`${system.url}/#/questions`)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('button', { name: 'Dev sign-in' }).waitFor()
  await page.reload()
  await page.getByRole('button', { name: 'Dev sign-in' }).waitFor()
  t.equal(await page.locator('#session').textContent(), '', 'no one is signed in after a reload')
})

t.test('the page stayed on its own origin and threw nothing', async t => {
  t.same(foreignRequests, [], 'no request left the origin (no fonts, no CDNs)')
  t.same(pageErrors, [], 'no uncaught errors in the page')
})
