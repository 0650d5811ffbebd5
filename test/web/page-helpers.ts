// What the browser suites of learners and teachers do on the page: sign in
// (dev mode) with a name and a role, write into a CodeMirror editor, keep a
// screenshot.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { screenshotDir } from './browser.ts'

export async function devSignIn (page: Page, origin: string, options: { name: string, role: 'Student' | 'Teacher', screenshot?: string }): Promise<void> {
  await page.goto(`${origin}/#/questions`)
  await page.getByRole('button', { name: 'Dev sign-in' }).waitFor()
  await page.getByLabel('Your name').fill(options.name)
  await page.getByRole('radio', { name: new RegExp(`^${options.role}`) }).check()
  if (options.screenshot) await screenshot(page, options.screenshot)
  await page.getByRole('button', { name: 'Dev sign-in' }).click()
  await page.locator('#session', { hasText: options.name }).waitFor()
}

/** Replaces the text of the editor inside `host` (a CSS selector). */
export async function setEditorText (page: Page, host: string, text: string): Promise<void> {
  await page.locator(`${host} .cm-content`).click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(text)
  // A completion list may have opened: it must not take the next keys.
  await page.keyboard.press('Escape')
}

export async function editorText (page: Page, host: string): Promise<string> {
  return await page.locator(`${host} .cm-content .cm-placeholder`).count() > 0
    ? ''
    : (await page.locator(`${host} .cm-content`).innerText()).replace(/\n$/, '')
}

export async function screenshot (page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

/** The token the page holds (dev sign-in keeps it in sessionStorage), as devtools would find it. */
export async function pageToken (page: Page): Promise<string> {
  return await page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('playground.session')).accessToken as string)
}

/** A call made from the page with its own token, as a curious user could from devtools. */
export async function callFromPage (page: Page, method: string, path: string, body?: unknown): Promise<number> {
  const token = await pageToken(page)
  return await page.evaluate(async ({ method, path, body, token }) => {
    const response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return response.status
  }, { method, path, body, token })
}
