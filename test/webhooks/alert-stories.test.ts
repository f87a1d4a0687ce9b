import { afterEach, describe, it, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import firing from '../fixtures/alertmanager/firing.json'
import resolved from '../fixtures/alertmanager/resolved.json'
import { basicAuthRequest } from '../helpers/alert-requests'
import { bearerRequest, DEV_SECRETS } from '../helpers/signed-request'
import { deliver } from '../delivery/sim'
import { noteHeads, send, settledTicket, ticketsMentioning } from './alert-tickets'
import { recentDeliveries } from '../../src/inbound/recent-deliveries'
import { notesWritten, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/**
 * Issue 12's Alertmanager examples: requests through the worker, the queue consumer delivering
 * them, and what the simulator holds afterwards.
 */
const alertmanager = (payload: unknown, source = 'alertmanager') =>
  bearerRequest(source, payload, DEV_SECRETS.alertmanager)

/** The fixture on a group of its own (alertname and groupKey unique to the test). */
function groupOf(name: string, payload: typeof firing | typeof resolved) {
  const labels = (l: Record<string, string>) => ({ ...l, alertname: name })
  return {
    ...payload,
    groupKey: `{}:{alertname="${name}"}`,
    groupLabels: { alertname: name },
    commonLabels: labels(payload.commonLabels),
    alerts: payload.alerts.map((a) => ({ ...a, labels: labels(a.labels) })),
  }
}
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}`

describe('issue 12: Alertmanager notifications', { timeout: 40_000 }, () => {
  it('reopens with a note when the same firing comes again, byte for byte, after its resolve', async ({
    expect,
  }) => {
    const name = unique('Refire')
    const fire = groupOf(name, firing)
    expect(await send(alertmanager(fire))).toMatchObject({ status: 202 })
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    expect(await send(alertmanager(groupOf(name, resolved)))).toMatchObject({ status: 202 })
    await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))

    const again = await send(alertmanager(fire))

    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    // The reopen is a status change and a note: wait for both, not for the status alone.
    await settledTicket(name, (t) => {
      expect(t.status_en).toBe('open')
      expect(noteHeads(t)).toEqual([
        'Resolved: every alert of the group has ended.',
        'Reopened: 2 alerts firing again.',
      ])
    })
  })

  it('reopens on a byte-identical refire that comes before the consumer has written the resolve', async ({
    expect,
  }) => {
    const name = unique('EarlyRefire')
    const fire = groupOf(name, firing)
    const firingQueue = watchQueue()
    expect(await send(alertmanager(fire))).toMatchObject({ status: 202 })
    await notesWritten(firingQueue) // KV holds the firing's mark
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    vi.restoreAllMocks()
    // The queue is behind: the consumer has not written the resolve's mark to KV yet.
    const put = env.BRIDGE_KV.put.bind(env.BRIDGE_KV)
    vi.spyOn(env.BRIDGE_KV, 'put').mockImplementation(async (key, value, options) => {
      if (key.includes(':last:') && value !== (await env.BRIDGE_KV.get(key))) return
      return put(key, value, options)
    })
    expect(await send(alertmanager(groupOf(name, resolved)))).toMatchObject({ status: 202 })
    await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))

    const again = await send(alertmanager(fire))

    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await settledTicket(name, (t) => {
      expect(t.status_en).toBe('open')
      expect(noteHeads(t)).toEqual([
        'Resolved: every alert of the group has ended.',
        'Reopened: 2 alerts firing again.',
      ])
    })
  })

  it('reopens on a byte-identical refire when KV refused the resolve mark once (one write a second per key)', async ({
    expect,
  }) => {
    const name = unique('RefusedMark')
    const fire = groupOf(name, firing)
    const firingQueue = watchQueue()
    expect(await send(alertmanager(fire))).toMatchObject({ status: 202 })
    await notesWritten(firingQueue)
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    vi.restoreAllMocks()
    const put = env.BRIDGE_KV.put.bind(env.BRIDGE_KV)
    let refused = 0
    vi.spyOn(env.BRIDGE_KV, 'put').mockImplementation(async (key, value, options) => {
      if (key.includes(':last:') && refused++ === 0) {
        throw new Error('KV PUT failed: 429 Too Many Requests')
      }
      return put(key, value, options)
    })
    const resolveQueue = watchQueue()
    expect(await send(alertmanager(groupOf(name, resolved)))).toMatchObject({ status: 202 })
    await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))
    await notesWritten(resolveQueue)
    // The refire reaches another isolate (or this one past its mark's few seconds in memory).
    vi.spyOn(recentDeliveries, 'valueOf').mockReturnValue(undefined)

    const again = await send(alertmanager(fire))

    expect(refused).toBeGreaterThan(1)
    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
  })

  it('answers the exact redelivery of the last notification as a duplicate', async ({ expect }) => {
    const fire = groupOf(unique('Retry'), firing)
    await send(alertmanager(fire))

    const retry = await send(alertmanager(fire))

    expect(retry).toEqual({ status: 200, body: { status: 'duplicate' } })
  })

  it('opens one ticket when redeliveries reach another isolate, before or after the consumer wrote the mark', async ({
    expect,
  }) => {
    const name = unique('EarlyRetry')
    const fire = groupOf(name, firing)
    const queue = watchQueue()
    const first = await send(alertmanager(fire))
    // Another isolate: nothing of this notification in its memory, only what KV holds.
    vi.spyOn(recentDeliveries, 'valueOf').mockReturnValue(undefined)

    // Within the consumer's first second KV may not hold the mark yet: then the retry is queued
    // again, and the thread's per-alert state makes it a no-op.
    const early = await send(alertmanager(fire))
    await notesWritten(queue)
    const late = await send(alertmanager(fire))

    expect(first).toMatchObject({ status: 202, body: { status: 'accepted' } })
    expect([200, 202]).toContain(early.status)
    expect(late).toEqual({ status: 200, body: { status: 'duplicate' } })
    const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    await new Promise((resolve) => setTimeout(resolve, 1_500)) // a second delivery would show
    expect(await ticketsMentioning(name)).toHaveLength(1)
    expect(noteHeads((await ticketsMentioning(name))[0]!)).toEqual(noteHeads(ticket))
  })

  it("keeps one cluster's incident open when another cluster on the same group resolves", async ({
    expect,
  }) => {
    const name = unique('Collider')
    const [template] = firing.alerts
    const body = (url: string, pod: string, status: 'firing' | 'resolved') => ({
      ...groupOf(name, firing),
      status,
      externalURL: url,
      alerts: [
        {
          ...template,
          status,
          labels: { alertname: name, pod },
          fingerprint: `${pod === 'a' ? 'aaaa' : 'bbbb'}000000000000`,
          endsAt: status === 'resolved' ? '2024-05-14T09:41:03.512Z' : '0001-01-01T00:00:00Z',
        },
      ],
    })
    await send(alertmanager(body('http://am-staging:9093', 'a', 'firing')))
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    await send(alertmanager(body('http://am-prod:9093', 'b', 'firing')))
    await settledTicket(name, (t) => expect(noteHeads(t)).toHaveLength(1))

    await send(alertmanager(body('http://am-staging:9093', 'a', 'resolved')))

    const stillOpen = await settledTicket(name, (t) => expect(noteHeads(t)).toHaveLength(2))
    expect(stillOpen.status_en).toBe('open')
    await send(alertmanager(body('http://am-prod:9093', 'b', 'resolved')))
    await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))
  })

  it("leaves the ticket resolved when an HA peer's stale firing follows the other peer's resolve", async ({
    expect,
  }) => {
    const name = unique('HaPeers')
    const peer = (url: string, payload: typeof firing | typeof resolved) => ({
      ...groupOf(name, payload),
      externalURL: url,
    })
    await send(alertmanager(peer('http://am-0:9093', firing)))
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    await send(alertmanager(peer('http://am-0:9093', resolved)))
    await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))
    const queue = watchQueue()

    const stale = await send(alertmanager(peer('http://am-1:9093', firing)))

    expect(stale.status).toBe(202)
    const [message] = queue.messages()
    const [outcome] = await deliver(message!.event.thread, message!.event)
    expect(['applied', 'duplicate']).toContain(outcome?.outcome)
    const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))
    expect(noteHeads(ticket)).toEqual(['Resolved: every alert of the group has ended.'])
  })

  it('accepts Basic credentials whose password is the source secret', async ({ expect }) => {
    const name = unique('Basic')
    const request = basicAuthRequest(
      'alertmanager',
      groupOf(name, firing),
      'alertmanager',
      DEV_SECRETS.alertmanager,
    )

    const response = await send(request)

    expect(response).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
  })

  it('opens at the highest severity of the group and raises it when a critical alert joins', async ({
    expect,
  }) => {
    const name = unique('Severity')
    const [one, two] = groupOf(name, firing).alerts
    const warning = { ...one!, labels: { ...one!.labels, severity: 'warning' } }
    const critical = { ...two!, labels: { ...two!.labels, severity: 'critical' } }
    const info = {
      ...warning,
      fingerprint: '0000000000000001',
      labels: { ...warning.labels, severity: 'info' },
    }
    const mixed = { ...groupOf(name, firing), commonLabels: {}, alerts: [info, warning] }
    await send(alertmanager(mixed))
    await settledTicket(name, (t) => expect(t.priority).toBe('高'))

    await send(alertmanager({ ...mixed, alerts: [info, warning, critical] }))

    await settledTicket(name, (t) => {
      expect(t.priority).toBe('紧急')
      expect(noteHeads(t)).toEqual(['Priority raised to urgent: a more severe alert is firing.'])
    })
  })
})

describe('issue 12: storms', { timeout: 60_000 }, () => {
  it('accepts one group of 2,000 alerts (over 500 KB) and lists the first ones and how many more', async ({
    expect,
  }) => {
    const name = unique('Storm')
    const [template] = firing.alerts
    const alerts = Array.from({ length: 2_000 }, (_, n) => ({
      ...template,
      labels: { ...template?.labels, alertname: name, instance: `host-${n}.example.org:9100` },
      fingerprint: n.toString(16).padStart(16, '0'),
    }))
    const payload = { ...groupOf(name, firing), alerts, truncatedAlerts: 12 }
    const queue = watchQueue()

    const response = await send(alertmanager(payload))

    expect(JSON.stringify(payload).length).toBeGreaterThan(500_000)
    expect(response).toMatchObject({ status: 202, body: { status: 'accepted' } })
    expect(queue.sent()).toEqual([
      {
        eventRef: expect.stringMatching(/^event-ref:/),
        deliveryId: response.body.id,
        remember: expect.objectContaining({ kind: 'mark' }),
      },
    ])
    const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    expect(ticket.content).toContain('FIRING: 2000 firing, 0 resolved')
    expect(ticket.content).toContain('and 1,980 more')
    expect(ticket.content).toContain('12 more alerts were left out by the sender')
  })
})
