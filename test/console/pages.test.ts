import { env } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { deadLetter, deadLetterId } from '../../src/delivery/dead-letters'
import { ledger } from '../../src/delivery/ledger'
import { openEvent, ticketsTagged, uniqueTag } from '../delivery/sim'
import { formPost, page, signIn } from './helpers'

const WAIT = { timeout: 10_000, interval: 100 }

/** A dead letter stored through the real dead-letter queue, as the consumer sends it. */
async function deadLettered(tag: string, fields: Parameters<typeof openEvent>[1] = {}) {
  const event = openEvent({ thread: tag, id: `${tag}:open` }, fields)
  const message = { event, deliveryId: `wh_${tag}` }
  const error = 'POST /tickets: udesk_code: code 2061: Invalid field: TextField_9'
  await env.DEAD_LETTER_QUEUE.send(deadLetter(message, 'udesk_rejected', 1, error))
  const id = await deadLetterId(message)
  await vi.waitFor(async () => {
    if (!(await ledger(env).getDeadLetter(id))) throw new Error('not stored yet')
  }, WAIT)
  return id
}

describe('dead letters in the console', () => {
  it('shows one letter with sender text escaped and credentials redacted', async ({ expect }) => {
    const tag = uniqueTag('console-escape')
    const id = await deadLettered(tag, {
      subject: `<script>alert("${tag}")</script>`,
      content: 'Our bot token is xoxb-1234-abcd, please rotate it',
      customer: { email: 'eve@example.com', token: 'slack:T1:U1' },
    })

    const response = await page(`/admin/letters/${id}`, await signIn())

    const html = await response.text()
    expect(response.status).toBe(200)
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toContain('xoxb-1234-abcd')
    expect(html).not.toContain('slack:T1:U1')
    expect(html).toContain('[redacted]')
    expect(html).toContain('code 2061: Invalid field: TextField_9')
  })

  it('filters the list by source and reason', async ({ expect }) => {
    const tag = uniqueTag('console-filter')
    await deadLettered(tag)
    const cookie = await signIn()

    const matching = await page('/admin/letters?source=events&reason=udesk_rejected', cookie)
    const other = await page('/admin/letters?source=events&reason=max_attempts', cookie)

    expect(await matching.text()).toContain(`<td>${tag}</td>`)
    expect(await other.text()).not.toContain(tag)
  })

  it('asks before replaying, then replays: the ticket opens and the thread shows its steps', async ({
    expect,
  }) => {
    const tag = uniqueTag('console-replay')
    const id = await deadLettered(tag)
    const cookie = await signIn()

    const confirm = await page(`/admin/letters/${id}/replay`, cookie)
    const replay = await formPost(`/admin/letters/${id}/replay`, {}, { cookie })

    expect(await confirm.text()).toContain('Put this dead letter back on the delivery queue?')
    expect(replay.status).toBe(303)
    expect(replay.headers.get('location')).toBe('/admin/letters?replayed=1')
    const [ticket] = await vi.waitFor(async () => {
      const tickets = await ticketsTagged(tag)
      if (tickets.length !== 1) throw new Error(`${tickets.length} tickets`)
      return tickets
    }, WAIT)
    const thread = await vi.waitFor(async () => {
      const html = await (await page(`/admin/threads?ticket=${ticket!.id}`, cookie)).text()
      if (!html.includes('applied')) throw new Error('not applied yet')
      return html
    }, WAIT)
    expect(thread).toContain(`id ${ticket!.id}`)
    expect(thread).toMatch(/received[\s\S]*queued[\s\S]*applied/)
    const byDelivery = await page(`/admin/threads?source=events&delivery=wh_${tag}`, cookie)
    expect(await byDelivery.text()).toContain(`${tag}:open`)
  })
})

describe('finding a thread', () => {
  it('says so when no thread opened the ticket', async ({ expect }) => {
    const response = await page('/admin/threads?ticket=987654321', await signIn())

    expect(response.status).toBe(404)
    expect(await response.text()).toContain('No thread has opened ticket 987654321.')
  })

  it('asks for the source of a thread key', async ({ expect }) => {
    const response = await page('/admin/threads?thread=order-1', await signIn())

    expect(await response.text()).toContain('Choose the source the thread key or delivery id')
  })

  it('escapes a thread key typed into the search', async ({ expect }) => {
    const response = await page(
      `/admin/threads?source=events&thread=${encodeURIComponent('"><script>x</script>')}`,
      await signIn(),
    )

    const html = await response.text()
    expect(html).not.toContain('<script>x')
    expect(html).toContain('&lt;script&gt;x')
  })
})

describe('sources and configuration pages', () => {
  it('shows each source’s kind and whether its secrets are set, never their values', async ({
    expect,
  }) => {
    const html = await (await page('/admin/sources', await signIn())).text()

    expect(html).toContain('Standard Webhooks signature')
    expect(html).toContain('EVENTS_WEBHOOK_SECRET: set')
    expect(html).not.toContain('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    expect(html).not.toContain('dev-slack-signing-secret')
  })

  it('runs the doctor: a deployed host with development sources gets ✗ and the fixes', async ({
    expect,
  }) => {
    const html = await (await page('/admin/check', await signIn())).text()

    expect(html).toContain('4 of 10 checks fail.')
    expect(html).toContain('Fix: List the sites that host each form')
  })

  it('shows the day’s counters per source, a chart of its dead letters and the Udesk budget', async ({
    expect,
  }) => {
    await deadLettered(uniqueTag('console-overview'))

    const html = await (await page('/admin', await signIn())).text()

    expect(html).toMatch(
      /<th scope="row">events<\/th>(<td class="n">\d+<\/td>){4}<td class="n">[1-9]/,
    )
    expect(html).toMatch(/source=events">events<\/a>: [1-9]\d*/)
    expect(html).toMatch(
      /<svg[^>]*role="img"[^>]*aria-label="Dead letters: \d+ in the last 24 hours"/,
    )
    expect(html).toContain('6000 requests a minute to Udesk')
  })
})
