import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { postSignedEvent } from '../../scripts/chaos/send'
import { DEV, startBridge, ticketsWithSubject, type Bridge } from './harness'

const WAIT = { timeout: 30_000, interval: 250 }

/**
 * The bridge as deployed: two workers in one `wrangler dev`, as `npm start` runs them. Senders
 * and people reach only the edge's port; the edge enqueues and the core's consumer delivers;
 * the console, the admin API and the doorbell answer through the edge's service binding; a
 * duplicate is counted in the core's ledger over the edge's cross-worker Durable Object binding.
 */
describe('the edge and core workers', () => {
  let bridge: Bridge

  beforeAll(async () => {
    bridge = await startBridge()
  })

  afterAll(async () => {
    await bridge?.stop()
  })

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${bridge.url}/admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${DEV.adminToken}`, ...init.headers },
    })

  it('delivers a signed event sent to the edge as a ticket, and counts its duplicate', async ({
    expect,
  }) => {
    const body = JSON.stringify({
      type: 'ticket.open',
      thread: 'split-1',
      subject: 'Invoice PDF is blank (split)',
      content: 'The invoice download opens an empty page.',
      customer: { email: 'split-1@customer.example' },
    })
    const first = await postSignedEvent(bridge.url, 'msg_split_1', body)
    expect(first.status).toBe(202)
    await first.text()

    await vi.waitFor(async () => {
      const tickets = await ticketsWithSubject(bridge.sim.udesk, 'Invoice PDF is blank (split)')
      expect(tickets).toHaveLength(1)
    }, WAIT)

    const again = await postSignedEvent(bridge.url, 'msg_split_1', body)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ status: 'duplicate' })
    // The edge counts the duplicate in the core's DeliveryLedger (script_name binding), the
    // core's consumer counts the delivery: /admin/stats, answered by the core, sees both.
    await vi.waitFor(async () => {
      const stats = (await (await admin('/stats')).json()) as Record<string, number>
      expect(stats).toMatchObject({ duplicates: 1, delivered: 1 })
    }, WAIT)
  })

  it('passes the console to the core unchanged: sign-in page, session, overview', async ({
    expect,
  }) => {
    const page = await fetch(`${bridge.url}/admin/sign-in`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toContain('ADMIN_TOKEN')

    const signIn = await fetch(`${bridge.url}/admin/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: bridge.url },
      body: new URLSearchParams({ token: DEV.adminToken }),
      redirect: 'manual',
    })
    expect(signIn.status).toBe(303)
    expect(signIn.headers.get('location')).toBe('/admin')
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0]
    expect(cookie).toBeTruthy()

    const overview = await fetch(`${bridge.url}/admin/`, { headers: { cookie: cookie! } })
    expect(overview.status).toBe(200)
    expect(await overview.text()).toContain('Overview')
  })

  it("answers the doorbell through the edge, and the edge's own 404 elsewhere", async ({
    expect,
  }) => {
    const wrongToken = await fetch(`${bridge.url}/udesk/hook/not-the-token`, {
      method: 'POST',
      body: 'ticket_id=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(wrongToken.status).toBe(404)
    await wrongToken.text()

    const unwatched = await fetch(`${bridge.url}/udesk/hook/${DEV.udeskHookToken}`, {
      method: 'POST',
      body: 'ticket_id=987654',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(unwatched.status).toBe(200)
    expect(await unwatched.json()).toEqual({ status: 'ignored' })

    const nowhere = await fetch(`${bridge.url}/nowhere`)
    expect(nowhere.status).toBe(404)
    expect(await nowhere.json()).toEqual({ error: 'not_found', message: 'no such route' })
  })
})
