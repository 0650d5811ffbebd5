// Debian's Chromium, headless, driven by playwright-core (whose own browser
// downloads cannot work here), with a fresh profile removed at the end.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { repositoryRoot } from '../../launcher/system.ts'
import { chromiumPath } from './chromium.ts'

export { chromiumPath }

interface Teardown { teardown: (fn: () => unknown) => void }

export const screenshotDir = join(repositoryRoot, 'test-results', 'web')

/** Throws (never skips) when the browser is missing: a skipped suite would look green. */
export function requireChromium (): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: npm test installs it when run as root; otherwise install it with "sudo apt-get install -y chromium" (or set CHROMIUM_PATH), then run the tests again`)
  }
}

export interface BrowserSession {
  context: BrowserContext
  page: Page
  /** uncaught errors thrown in the page */
  pageErrors: string[]
  /** requests to anything but `origin` */
  foreignRequests: string[]
}

export async function openBrowser (t: Teardown, origin: string, allowedOrigins: string[] = []): Promise<BrowserSession> {
  requireChromium()
  const profile = await mkdtemp(join(tmpdir(), 'playground-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => {
    await context.close()
    await rm(profile, { recursive: true, force: true })
  })
  context.setDefaultTimeout(15_000)
  const page = context.pages()[0] ?? await context.newPage()
  const pageErrors: string[] = []
  const foreignRequests: string[] = []
  page.on('pageerror', error => pageErrors.push(error.message))
  page.on('request', request => {
    const url = request.url()
    if (![origin, ...allowedOrigins].some(allowed => url.startsWith(allowed)) && !url.startsWith('data:')) foreignRequests.push(url)
  })
  return { context, page, pageErrors, foreignRequests }
}

// Read through Playwright, free of DOM types (the root tsconfig has no DOM
// library). Functions, never strings, go into the page: its CSP forbids eval.
export function reader (page: Page) {
  return {
    text: async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim(),
    texts: async (selector: string) => (await page.locator(selector).allTextContents()).map(value => value.trim())
  }
}
