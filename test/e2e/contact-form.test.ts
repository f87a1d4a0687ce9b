import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, it, vi } from 'vitest'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { freePort, startBridge, type Bridge, type SimulatorTicket } from './harness'

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const EXAMPLE = join(PROJECT_ROOT, 'examples/contact-form/index.html')
const WAIT = { timeout: 30_000, interval: 250 }

/** Hosts the example on its own port, its action pointed at the bridge, as a user would. */
async function serveContactForm(bridgeUrl: string): Promise<{ url: string; server: Server }> {
  const html = (await readFile(EXAMPLE, 'utf8')).replace('http://127.0.0.1:8787', bridgeUrl)
  const server = createServer((request, response) => {
    if (request.url !== '/') return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
  })
  const port = await freePort()
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready))
  return { url: `http://localhost:${port}/`, server }
}

describe('the contact form example in headless Chromium', () => {
  let bridge: Bridge
  let site: Awaited<ReturnType<typeof serveContactForm>>
  const profiles: string[] = []
  let context: BrowserContext | undefined

  async function openBrowser(javaScriptEnabled: boolean): Promise<BrowserContext> {
    const profile = await mkdtemp(join(tmpdir(), 'udesk-bridge-chromium-'))
    profiles.push(profile)
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      javaScriptEnabled,
    })
    return context
  }

  async function ticketFrom(email: string): Promise<SimulatorTicket> {
    return vi.waitFor(async () => {
      const { tickets } = await bridge.sim.control.state()
      const mine = tickets.filter((t) => t.content?.includes(email))
      if (mine.length !== 1) throw new Error(`${mine.length} tickets from ${email}`)
      return mine[0]!
    }, WAIT)
  }

  beforeAll(async () => {
    bridge = await startBridge()
    site = await serveContactForm(bridge.url)
  })

  afterEach(async () => {
    await context?.close()
    context = undefined
  })

  afterAll(async () => {
    site?.server.close()
    await bridge?.stop()
    await Promise.all(profiles.map((p) => rm(p, { recursive: true, force: true })))
  })

  it('posts as a plain form without JavaScript: 303 to the thank-you page, one ticket with the file', async ({
    expect,
  }) => {
    const page = await (await openBrowser(false)).newPage()
    await page.goto(site.url)
    await page.getByLabel('Name').fill('Ada Lovelace')
    await page.getByLabel('Email').fill('ada.plain@example.com')
    await page.getByLabel('Message').fill('The invoice total looks wrong, copy attached.')
    await page.getByLabel('Attachment').setInputFiles({
      name: 'invoice-1042.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Invoice 1042\nTotal: 120.00 EUR\n'),
    })

    const post = page.waitForResponse((r) => r.request().method() === 'POST')
    await page.getByRole('button', { name: 'Send message' }).click()

    expect((await post).status()).toBe(303)
    await page.waitForURL((url) => url.href.startsWith(bridge.url))
    expect(await page.locator('body').innerText()).toMatch(/thank/i)
    const ticket = await ticketFrom('ada.plain@example.com')
    expect(ticket.subject).toBe('Website contact form')
    expect(ticket.content).toContain('The invoice total looks wrong, copy attached.')
    expect(ticket.content).toContain('Ada Lovelace')
    expect(ticket.attachments?.map((a) => a.name)).toEqual(['invoice-1042.txt'])
  })

  it('posts through fetch() with JavaScript: CORS preflight, JSON answer shown, one ticket', async ({
    expect,
  }) => {
    const context = await openBrowser(true)
    const page = await context.newPage()
    const methods: string[] = []
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.startsWith(bridge.url)) methods.push(e.request.method)
    })
    await page.goto(site.url)
    await page.getByLabel('Name').fill('Grace Hopper')
    await page.getByLabel('Email').fill('grace.fetch@example.com')
    await page.getByLabel('Message').fill('Our order #5521 arrived damaged.')

    await page.getByRole('button', { name: 'Send message' }).click()

    const answer = page.getByRole('status')
    await answer.getByText('Thank you').waitFor({ timeout: 30_000 })
    const shown = JSON.parse((await answer.locator('pre').textContent()) ?? '')
    expect(shown).toEqual({ status: 'accepted', id: expect.any(String) })
    expect(page.url()).toBe(site.url)
    // Chromium reports the preflight after the request it guards: compare as a set.
    expect(methods.toSorted()).toEqual(['OPTIONS', 'POST'])
    const ticket = await ticketFrom('grace.fetch@example.com')
    expect(ticket.content).toContain('Our order #5521 arrived damaged.')
    expect(ticket.content).toContain('Grace Hopper')
  })
})
