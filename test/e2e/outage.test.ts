import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { postSignedEvent } from '../../scripts/chaos/send'
import { collect, DEV, startBridge, type Bridge } from './harness'

/** Udesk down for a while: every call answers 503 until the fault is lifted. */
const OUTAGE = { probability: 1, fault: { kind: 'http', status: 503 } }

describe('a Udesk outage', () => {
  let bridge: Bridge

  beforeAll(async () => {
    bridge = await startBridge({
      // Short backoff so the test sees the recovery within seconds, not minutes.
      bindings: { DELIVERY_RETRY_BASE_SECONDS: '1', DELIVERY_RETRY_MAX_SECONDS: '3' },
    })
  })

  afterAll(async () => {
    await bridge?.stop()
  })

  async function send(id: string, payload: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify(payload)
    const response = await postSignedEvent(bridge.url, id, body)
    await response.text()
    return response.status
  }

  it('keeps events waiting and delivers each once when Udesk recovers', async ({ expect }) => {
    const control = bridge.sim.control
    await control.addFault(OUTAGE)
    const threads = ['outage-1', 'outage-2', 'outage-3']
    const statuses: number[] = []
    for (const thread of threads) {
      statuses.push(
        await send(`${thread}-open`, {
          type: 'ticket.open',
          thread,
          subject: `Cannot log in (${thread})`,
          content: 'The login page spins forever.',
          customer: { email: `${thread}@customer.example` },
        }),
        await send(`${thread}-reply`, { type: 'ticket.reply', thread, content: 'Still broken.' }),
      )
    }

    await vi.waitFor(
      async () => {
        const failed = (await control.calls()).filter((c) => c.status === 503)
        if (failed.length < 6) throw new Error('Udesk not tried enough yet')
      },
      { timeout: 30_000, interval: 500 },
    )
    const during = await control.state()
    await fetch(`${bridge.sim.url}/_sim/faults`, { method: 'DELETE' })

    expect(statuses).toEqual([202, 202, 202, 202, 202, 202])
    expect(during.tickets).toEqual([])
    const tickets = await vi.waitFor(
      async () => {
        const state = await control.state()
        const opened = state.tickets.filter((t) => t.subject?.startsWith('Cannot log in'))
        const replied = opened.filter((t) => t.replies?.length === 1)
        if (replied.length < threads.length) throw new Error(`${replied.length} recovered`)
        return opened
      },
      { timeout: 60_000, interval: 500 },
    )
    expect(tickets.map((t) => t.subject).sort()).toEqual(
      threads.map((thread) => `Cannot log in (${thread})`),
    )
    const stats = await fetch(`${bridge.url}/admin/stats`, {
      headers: { authorization: `Bearer ${DEV.adminToken}` },
    }).then((r) => r.json() as Promise<Record<string, number>>)
    expect(stats).toMatchObject({ dead_lettered: 0, delivered: 6 })
    expect(stats.retried).toBeGreaterThan(0)
    const all = await collect(bridge.sim.udesk.listTickets({ perPage: 100 }))
    expect(all).toHaveLength(threads.length)
  })
})
