import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'

/** Headless Chromium with its own profile, closed afterwards. */
export async function withBrowser(
  options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean },
  use: (browser: BrowserContext) => Promise<void>,
): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), 'udesk-bridge-readme-chromium-'))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    ...options,
  })
  try {
    await use(browser)
  } finally {
    await browser.close()
    await rm(profile, { recursive: true, force: true })
  }
}
