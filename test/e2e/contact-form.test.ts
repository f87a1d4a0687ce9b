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

/** A page written for Formspree (its documented field names), moved to the bridge as it is. */
const formspreePage = (bridgeUrl: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Refunds</title></head>
<body>
  <form action="${bridgeUrl}/webhooks/contact" method="POST">
    <label>Your email <input type="email" name="_replyto" /></label>
    <input type="hidden" name="_subject" value="Refund request" />
    <label>Message <textarea name="message"></textarea></label>
    <input type="text" name="_gotcha" style="display:none" />
    <button type="submit">Send</button>
  </form>
</body></html>`

/** An old page in ISO-8859-1: Chromium posts it in windows-1252 and fills in `_charset_`. */
const latinPage = (bridgeUrl: string) => `<!doctype html>
<html lang="de"><head><title>Kontakt</title></head>
<body>
  <form action="${bridgeUrl}/webhooks/contact" method="POST">
    <input type="hidden" name="_charset_" />
    <label>Name <input name="name" /></label>
    <label>E-Mail <input type="email" name="email" /></label>
    <label>Nachricht <textarea name="message"></textarea></label>
    <button type="submit">Senden</button>
  </form>
</body></html>`

/** Hosts the example on its own port, its action pointed at the bridge, as a user would. */
async function serveContactForm(bridgeUrl: string): Promise<{ url: string; server: Server }> {
  const html = (await readFile(EXAMPLE, 'utf8')).replace('http://127.0.0.1:8787', bridgeUrl)
  const pages: Record<string, string> = { '/': html, '/formspree': formspreePage(bridgeUrl) }
  const server = createServer((request, response) => {
    if (request.url === '/latin1') {
      const latin = Buffer.from(latinPage(bridgeUrl), 'latin1')
      return response.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(latin)
    }
    const page = pages[request.url ?? '']
    if (page === undefined) return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
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
    // The file goes up after the ticket is made (a form's calls wait for alerts' share).
    await vi.waitFor(async () => {
      const { tickets } = await bridge.sim.control.state()
      const files = tickets.find((t) => t.id === ticket.id)?.attachments?.map((a) => a.name)
      expect(files).toEqual(['invoice-1042.txt'])
    }, WAIT)
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

  it('shows a page, not JSON, when the file is too large: 413, the reason, a link back', async ({
    expect,
  }) => {
    const page = await (await openBrowser(false)).newPage()
    await page.goto(site.url)
    await page.getByLabel('Name').fill('Ada Lovelace')
    await page.getByLabel('Email').fill('ada.bigfile@example.com')
    await page.getByLabel('Message').fill('The scan is attached.')
    await page.getByLabel('Attachment').setInputFiles({
      name: 'scan.tiff',
      mimeType: 'image/tiff',
      buffer: Buffer.alloc(21 * 1024 * 1024, 1),
    })

    const post = page.waitForResponse((r) => r.request().method() === 'POST')
    await page.getByRole('button', { name: 'Send message' }).click()

    expect((await post).status()).toBe(413)
    await page.getByRole('heading', { name: 'What you sent is too large' }).waitFor()
    expect(await page.getByRole('alert').innerText()).toMatch(/not sent.*larger than/i)
    expect(await page.getByRole('link', { name: 'Back to the form' }).getAttribute('href')).toBe(
      site.url,
    )
    await page.getByRole('link', { name: 'Back to the form' }).click()
    await page.waitForURL(site.url)
  })

  it('takes a page written for Formspree as it is: _replyto, _subject, then the thank-you page', async ({
    expect,
  }) => {
    const page = await (await openBrowser(false)).newPage()
    await page.goto(`${site.url}formspree`)
    await page.getByLabel('Your email').fill('refunds.formspree@example.com')
    await page.getByLabel('Message').fill('Please refund order #7781.')

    const post = page.waitForResponse((r) => r.request().method() === 'POST')
    await page.getByRole('button', { name: 'Send' }).click()

    expect((await post).status()).toBe(303)
    await page.waitForURL((url) => url.href.startsWith(bridge.url))
    expect(await page.locator('body').innerText()).toMatch(/thank/i)
    const ticket = await ticketFrom('refunds.formspree@example.com')
    expect(ticket.subject).toBe('Refund request')
    expect(ticket.user_email).toBe('refunds.formspree@example.com')
    expect(ticket.content).toContain('Please refund order #7781.')
  })

  // The fifth post from this one client (127.0.0.1) in a minute: FORM_RATE_LIMITER allows five.
  it('reads a post from an ISO-8859-1 page in its own charset: Jürgen Müller writes Grüße', async ({
    expect,
  }) => {
    const page = await (await openBrowser(false)).newPage()
    await page.goto(`${site.url}latin1`)
    await page.getByLabel('Name').fill('Jürgen Müller')
    await page.getByLabel('E-Mail').fill('juergen.latin1@example.com')
    await page.getByLabel('Nachricht').fill('Viele Grüße aus Köln')

    const post = page.waitForResponse((r) => r.request().method() === 'POST')
    await page.getByRole('button', { name: 'Senden' }).click()

    expect((await post).status()).toBe(303)
    expect((await post).request().postData()).toContain('Gr%FC%DFe')
    const ticket = await ticketFrom('juergen.latin1@example.com')
    expect(ticket.content).toContain('Viele Grüße aus Köln')
    expect(ticket.content).toContain('Jürgen Müller')
  })
})
