import { describe, it } from 'vitest'
import { TicketEventSchema } from '../../src/ticket-event'
import { alertGroupDeliveryId } from '../../src/sources/alert-group'
import { AlertmanagerPayloadSchema, alertmanagerToEvents } from '../../src/sources/alertmanager'
import firing from '../fixtures/alertmanager/firing.json'
import resolved from '../fixtures/alertmanager/resolved.json'
import { contextFor, RECEIVED_AT } from './context'

const firingPayload = AlertmanagerPayloadSchema.parse(firing)
const resolvedPayload = AlertmanagerPayloadSchema.parse(resolved)

describe('alertmanagerToEvents', () => {
  it('turns a firing notification into one alert event for the receiver and group', ({
    expect,
  }) => {
    const events = alertmanagerToEvents(firingPayload, contextFor('alertmanager'))

    expect(events).toHaveLength(1)
    expect(TicketEventSchema.parse(events[0])).toEqual(events[0])
    expect(events[0]).toMatchObject({
      id: 'my-alertmanager:delivery-1:0',
      source: 'my-alertmanager',
      type: 'alert',
      status: 'firing',
      thread: 'udesk:{}/{severity="critical"}:{alertname="InstanceDown"}',
      receivedAt: RECEIVED_AT,
      subject: 'InstanceDown',
      alerts: [
        { key: '4f1c2d9a7b3e8c60@2024-05-14T09:21:03.512Z', status: 'firing' },
        { key: '9a0e5b1f3c7d2e44@2024-05-14T09:22:18.001Z', status: 'firing' },
      ],
      ticket: { priority: 'urgent', tags: ['my-alertmanager'] },
    })
  })

  it('lists every alert with labels, annotations, start and generator URL', ({ expect }) => {
    const [event] = alertmanagerToEvents(firingPayload, contextFor('alertmanager'))

    const content = event?.type === 'alert' ? event.content : ''
    expect(content).toContain('FIRING: 2 firing, 0 resolved')
    expect(content).toContain(
      'Labels: alertname=InstanceDown, instance=web-1.example.org:9100, job=node, severity=critical',
    )
    expect(content).toContain('summary: Instance web-2.example.org:9100 down')
    expect(content).toContain('Started: 2024-05-14T09:22:18.001Z')
    expect(content).toContain(
      'Generator: http://prometheus.example.org:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1',
    )
    expect(content).not.toContain('Ended:')
  })

  it('carries resolved state and end times when the group resolves', ({ expect }) => {
    const [event] = alertmanagerToEvents(resolvedPayload, contextFor('alertmanager'))

    expect(event).toMatchObject({ type: 'alert', status: 'resolved' })
    expect(event?.type === 'alert' && event.content).toContain('Ended: 2024-05-14T09:41:03.512Z')
    expect(event?.type === 'alert' && event.alerts.map((a) => a.status)).toEqual([
      'resolved',
      'resolved',
    ])
  })

  it('names group labels and a common summary in the subject', ({ expect }) => {
    const payload = AlertmanagerPayloadSchema.parse({
      ...firing,
      groupLabels: { alertname: 'InstanceDown', job: 'node' },
      commonAnnotations: { summary: 'Web tier unreachable' },
    })

    const [event] = alertmanagerToEvents(payload, contextFor('alertmanager'))

    expect(event).toMatchObject({ subject: 'InstanceDown (job=node): Web tier unreachable' })
  })

  it('maps severity through the configured table and keeps source ticket options', ({ expect }) => {
    const context = contextFor('alertmanager', {
      severityPriority: { critical: 'high' },
      ticket: { tags: ['ops'], agentGroup: 'SRE' },
    })

    const [event] = alertmanagerToEvents(firingPayload, context)

    expect(event).toMatchObject({
      ticket: { priority: 'high', tags: ['my-alertmanager', 'ops'], agentGroup: 'SRE' },
    })
  })

  it('mentions alerts the sender truncated', ({ expect }) => {
    const payload = AlertmanagerPayloadSchema.parse({ ...firing, truncatedAlerts: 3 })

    const [event] = alertmanagerToEvents(payload, contextFor('alertmanager'))

    expect(event?.type === 'alert' && event.content).toContain('3 more alerts were left out')
  })

  it('refuses payloads of another webhook version', ({ expect }) => {
    const result = AlertmanagerPayloadSchema.safeParse({ ...firing, version: '3' })

    expect(result.success).toBe(false)
  })
})

describe('alertGroupDeliveryId', () => {
  it('is the same for a repeat notification of the same alerts, in any order', async ({
    expect,
  }) => {
    const reordered = AlertmanagerPayloadSchema.parse({
      ...firing,
      alerts: [...firing.alerts].reverse(),
    })

    const first = await alertGroupDeliveryId(firingPayload)
    const repeat = await alertGroupDeliveryId(reordered)

    expect(first).toMatch(/^[0-9a-f]{32}$/)
    expect(repeat).toBe(first)
  })

  it('changes with the status, the set of alerts, a new start and the receiver', async ({
    expect,
  }) => {
    const ids = await Promise.all([
      alertGroupDeliveryId(firingPayload),
      alertGroupDeliveryId(resolvedPayload),
      alertGroupDeliveryId({ ...firingPayload, alerts: firingPayload.alerts.slice(0, 1) }),
      alertGroupDeliveryId({
        ...firingPayload,
        alerts: firingPayload.alerts.map((a) => ({ ...a, startsAt: '2024-05-15T00:00:00Z' })),
      }),
      alertGroupDeliveryId({ ...firingPayload, receiver: 'other-team' }),
    ])

    expect(new Set(ids).size).toBe(5)
  })
})
