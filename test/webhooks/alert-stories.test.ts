import { afterEach, describe, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import resolved from '../fixtures/alertmanager/resolved.json'
import { basicAuthRequest } from '../helpers/alert-requests'
import { DEV_SECRETS } from '../helpers/signed-request'
import { deliver } from '../delivery/sim'
import {
  alertmanager,
  groupOf,
  noteHeads,
  reopenedTicket,
  resolveGroup,
  send,
  settledTicket,
  unique,
} from './alert-tickets'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/**
 * Issue 12's Alertmanager examples: requests through the worker, the queue consumer delivering
 * them, and what the simulator holds afterwards.
 */
describe('issue 12: Alertmanager notifications', { timeout: 40_000 }, () => {
  it('reopens with a note when the same firing comes again, byte for byte, after its resolve', async ({
    expect,
  }) => {
    const name = unique('Refire')
    const fire = groupOf(name, firing)
    expect(await send(alertmanager(fire))).toMatchObject({ status: 202 })
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    await resolveGroup(name)

    const again = await send(alertmanager(fire))

    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await reopenedTicket(name)
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
      },
    ])
    const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    expect(ticket.content).toContain('FIRING: 2000 firing, 0 resolved')
    expect(ticket.content).toContain('and 1,980 more')
    expect(ticket.content).toContain('12 more alerts were left out by the sender')
  })
})
