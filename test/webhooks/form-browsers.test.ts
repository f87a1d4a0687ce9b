import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { createUdeskClient, type Ticket } from '../../src/udesk/client'
import { BRIDGE_URL, post } from '../helpers/signed-request'
import { DEV_UDESK } from '../helpers/sim'
import { unique } from './form-requests'

/**
 * Issue 10: forms as real browsers and other form services' pages post them, through the
 * worker and the queue consumer, read back from the simulator.
 */
const udesk = createUdeskClient({ baseUrl: env.UDESK_BASE_URL, credentials: DEV_UDESK })
const settle = { timeout: 15_000, interval: 100 }
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const URLENCODED = 'application/x-www-form-urlencoded'

/** A browser's post of an urlencoded body written out as the browser encoded it. */
function browserPost(source: string, body: string, headers: Record<string, string> = {}) {
  return post(source, body, { 'content-type': URLENCODED, accept: BROWSER, ...headers })
}

async function ticketsWhere(match: (ticket: Ticket) => boolean): Promise<Ticket[]> {
  const found: Ticket[] = []
  for await (const ticket of udesk.listTickets({ perPage: 100 })) {
    if (match(ticket)) found.push(ticket)
  }
  return found
}

function waitForTickets(marker: string, count = 1): Promise<Ticket[]> {
  return vi.waitFor(async () => {
    const found = await ticketsWhere((t) => (t.content ?? '').includes(marker))
    if (found.length !== count) throw new Error(`${found.length} tickets for ${marker}`)
    return found
  }, settle)
}

describe('forms from real browsers', () => {
  it('turns an ISO-8859-1 post into a ticket reading Grüße for customer Jürgen Müller', async ({
    expect,
  }) => {
    const email = `juergen-${unique()}@example.com`
    const body = `name=J%FCrgen+M%FCller&email=${email}&message=Gr%FC%DFe`

    const response = await exports.default.fetch(
      browserPost('contact', body, { 'content-type': `${URLENCODED}; charset=ISO-8859-1` }),
    )

    expect(response.status).toBe(303)
    const [ticket] = await waitForTickets(email)
    expect(ticket?.content).toContain('Grüße')
    expect(ticket?.content).not.toContain('\uFFFD')
    const customer = await udesk.getCustomer({ type: 'email', content: email })
    expect(customer?.nick_name).toBe('Jürgen Müller')
  })

  it('takes a Formspree-style post to the thank-you page with its subject and reply-to', async ({
    expect,
  }) => {
    const marker = `formspree-${unique()}`

    const response = await exports.default.fetch(
      browserPost('contact', `_replyto=a@example.com&_subject=Refund&message=Hi+${marker}`),
    )

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${BRIDGE_URL}/webhooks/contact/thanks`)
    const [ticket] = await waitForTickets(marker)
    expect(ticket).toMatchObject({ subject: 'Refund', user_email: 'a@example.com' })
  })

  it('opens two tickets for two people who give the same phone number', async ({ expect }) => {
    const marker = `switchboard-${unique()}`
    const phone = `+1 555 01${Math.floor(Math.random() * 1e6)}`
    const postFrom = (who: string) =>
      browserPost(
        'contact',
        new URLSearchParams({
          email: `${who}-${marker}@example.com`,
          phone,
          message: marker,
        }).toString(),
      )

    expect((await exports.default.fetch(postFrom('first'))).status).toBe(303)
    await waitForTickets(marker, 1)
    expect((await exports.default.fetch(postFrom('second'))).status).toBe(303)

    const tickets = await waitForTickets(marker, 2)
    const second = tickets.find((t) => t.user_email === `second-${marker}@example.com`)
    expect(second?.content).toContain(`Phone: ${phone}`)
  })

  it('sends the browser to an allowed _next and ignores any other origin', async ({ expect }) => {
    const origin = { origin: 'https://www.example.com' }
    const fields = (next: string) =>
      new URLSearchParams({ email: `next-${unique()}@example.com`, _next: next }).toString()

    const allowed = await exports.default.fetch(
      browserPost('contact-formspree', fields('https://www.example.com/merci?x=1'), origin),
    )
    const elsewhere = await exports.default.fetch(
      browserPost('contact-formspree', fields('https://evil.example.net/'), origin),
    )
    const scheme = await exports.default.fetch(
      browserPost('contact-formspree', fields('javascript:alert(1)'), origin),
    )

    expect(allowed.headers.get('location')).toBe('https://www.example.com/merci?x=1')
    for (const ignored of [elsewhere, scheme]) {
      expect(ignored.headers.get('location')).toBe(
        `${BRIDGE_URL}/webhooks/contact-formspree/thanks`,
      )
    }
  })
})

describe('refusals shown to people', () => {
  /** The page's HTML; an answer that is not a page fails the test. */
  async function page(response: Response) {
    const type = response.headers.get('content-type') ?? ''
    if (!type.includes('text/html')) throw new Error(`not a page: ${type}`)
    return response.text()
  }

  it('shows a 413 page linking back to the form for 20,000 repeats of one field', async ({
    expect,
  }) => {
    const body = Array.from({ length: 20_000 }, () => 'a=1').join('&')

    const response = await exports.default.fetch(
      browserPost('contact', body, { referer: 'https://shop.example.com/contact' }),
    )

    expect(response.status).toBe(413)
    const html = await page(response)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('What you sent is too large')
    expect(html).toContain('The form sent 20000 fields; at most 200 are accepted.')
    expect(html).toContain('<a href="https://shop.example.com/contact">Back to the form</a>')
  })

  it('names an unsupported charset on a 415 page, escaped', async ({ expect }) => {
    const response = await exports.default.fetch(
      browserPost('contact', 'email=a@example.com', {
        'content-type': `${URLENCODED}; charset="<b>x</b>"`,
      }),
    )

    expect(response.status).toBe(415)
    const html = await page(response)
    expect(html).toContain('Charset &quot;&lt;b&gt;x&lt;/b&gt;&quot; is not supported')
    expect(html).not.toContain('<b>x</b>')
  })

  it('lists the fields to correct on a 400 page, without the values sent', async ({ expect }) => {
    const response = await exports.default.fetch(browserPost('contact', 'email=jane-at-example'))

    expect(response.status).toBe(400)
    const html = await page(response)
    expect(html).toContain('Some fields need another look')
    expect(html).toMatch(/<li>email: [^<]+<\/li>/)
    expect(html).not.toContain('jane-at-example')
    expect(html).toContain('Use your browser&#39;s Back button')
  })

  it('links back only to a page of an allowed origin', async ({ expect }) => {
    const refused = (referer: string) =>
      exports.default.fetch(
        browserPost('contact-formspree', 'email=bad', {
          origin: 'https://www.example.com',
          referer,
        }),
      )

    const own = await page(await refused('https://www.example.com/contact'))
    const foreign = await page(await refused('https://evil.example.net/'))

    expect(own).toContain('href="https://www.example.com/contact"')
    expect(foreign).not.toContain('evil.example.net')
  })

  it('shows a 403 page to a browser on another origin; scripts keep the JSON body', async ({
    expect,
  }) => {
    const headers = { origin: 'https://evil.example.net' }

    const browser = await exports.default.fetch(
      browserPost('contact-strict', 'email=a@example.com', headers),
    )
    const script = await exports.default.fetch(
      post('contact-strict', 'email=a@example.com', { 'content-type': URLENCODED, ...headers }),
    )

    expect(browser.status).toBe(403)
    expect(await page(browser)).toContain(
      'This form only accepts messages sent from its own website.',
    )
    expect(script.status).toBe(403)
    expect(await script.json()).toEqual({
      error: 'origin_not_allowed',
      message: 'this origin may not post to this form',
    })
  })
})
