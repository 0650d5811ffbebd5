// Where the tests find Chromium: Debian's package unless CHROMIUM_PATH says
// otherwise. A file of its own so that the test harness can check for it
// without loading playwright.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
