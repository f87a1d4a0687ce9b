import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { postSignedEvent } from '../../scripts/chaos/send'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { DEV, freePort, startBridge, type Bridge, type SimulatorTicket } from './harness'

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const WAIT = { timeout: 30_000, interval: 250 }
/** The README's picture of the console, taken from the thread page this test reaches. */
/** The README's console screenshot: written only when asked, so a test run leaves the tree clean. */
const SCREENSHOT = process.env.UPDATE_README_SCREENSHOT
  ? join(PROJECT_ROOT, 'docs/console-thread.png')
  : undefined
const THREAD = 'order-5521'

/** Another site with a form aimed at the console, as a cross-site request forgery would be. */
async function serveForgery(bridgeUrl: string): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><title>Win a prize</title>
<form method="post" action="${bridgeUrl}/admin/letters/replay-all"><button>Claim the prize</button></form>`
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
  })
  const port = await freePort()
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready))
  return { url: `http://localhost:${port}/`, server }
}

describe('the admin console in headless Chromium', () => {
  let bridge: Bridge
  let forgery: Awaited<ReturnType<typeof serveForgery>>
  let profile: string
  let context: BrowserContext
  let page: Page

  /** Udesk refuses this thread's ticket once, so its event becomes a dead letter. */
  async function deadLetterAnOrder(): Promise<void> {
    await bridge.sim.control.addFault({
      method: 'POST',
      path: '/tickets',
      match: THREAD,
      times: 1,
      fault: {
        kind: 'code',
        code: 2000,
        message: 'Customer group error, customer service group not found',
      },
    })
    const id = `msg_${THREAD}`
    const body = JSON.stringify({
      type: 'ticket.open',
      thread: THREAD,
      subject: 'Order #5521 arrived damaged',
      content: 'The box was crushed and the mug inside is broken.',
      customer: { email: 'grace@customer.example', name: 'Grace Hopper' },
    })
    const response = await postSignedEvent(bridge.url, id, body)
    if (response.status !== 202) throw new Error(`webhook answered ${response.status}`)
  }

  async function orderTicket(): Promise<SimulatorTicket> {
    return vi.waitFor(async () => {
      const { tickets } = await bridge.sim.control.state()
      const mine = tickets.filter((t) => t.subject?.includes('Order #5521'))
      if (mine.length !== 1) throw new Error(`${mine.length} tickets`)
      return mine[0]!
    }, WAIT)
  }

  beforeAll(async () => {
    bridge = await startBridge()
    forgery = await serveForgery(bridge.url)
    profile = await mkdtemp(join(tmpdir(), 'udesk-bridge-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 900, height: 900 },
    })
    page = await context.newPage()
  })

  afterAll(async () => {
    await context?.close()
    forgery?.server.close()
    await bridge?.stop()
    if (profile) await rm(profile, { recursive: true, force: true })
  })

  it('refuses a wrong token', async ({ expect }) => {
    await page.goto(`${bridge.url}/admin`)
    await page.getByLabel('Admin token').fill('not-the-admin-token')

    await page.getByRole('button', { name: 'Sign in' }).click()

    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('That is not the admin token.')
    expect((await context.cookies()).length).toBe(0)
  })

  it('signs in, shows the dead letter, replays it, and finds its thread by ticket number', async ({
    expect,
  }) => {
    await deadLetterAnOrder()
    await page.goto(`${bridge.url}/admin`)
    await page.getByLabel('Admin token').fill(DEV.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()

    await vi.waitFor(async () => {
      await page.getByRole('link', { name: 'Dead letters', exact: true }).click()
      await page.getByRole('cell', { name: THREAD }).waitFor({ timeout: 500 })
    }, WAIT)
    await page
      .getByRole('row', { name: new RegExp(THREAD) })
      .getByRole('link')
      .click()
    expect(await page.locator('main').innerText()).toContain('Customer group error')
    await page.getByRole('link', { name: 'Replay…' }).click()
    await page.getByRole('button', { name: 'Yes, replay' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Replayed 1')

    const ticket = await orderTicket()
    await page.goto(bridge.sim.url)
    await page.getByText('Order #5521 arrived damaged').first().waitFor()
    await page.goto(`${bridge.url}/admin`)
    await page.getByRole('link', { name: 'Threads' }).click()
    await page.getByLabel('Ticket number').fill(String(ticket.field_num))
    await page.getByRole('button', { name: 'Find' }).click()
    const main = page.locator('main')
    await expect.poll(() => main.innerText()).toContain(`id ${ticket.id}`)
    const text = await main.innerText()
    expect(text).toContain(THREAD)
    expect(text).toMatch(/received[\s\S]*dead lettered[\s\S]*replayed[\s\S]*applied/)
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(png.subarray(1, 4).toString()).toBe('PNG')
  })

  it('refuses a form posted to the console from another site', async ({ expect }) => {
    const forged = await context.newPage()
    await forged.goto(forgery.url)

    const answer = forged.waitForResponse((r) => r.request().method() === 'POST')
    await forged.getByRole('button', { name: 'Claim the prize' }).click()

    expect((await answer).status()).toBe(403)
  })
})
