import { describe, it } from 'vitest'
import { TicketEventSchema } from '../../src/ticket-event'
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
      sender: 'http://alertmanager.example.org:9093',
      alerts: [
        {
          id: '4f1c2d9a7b3e8c60',
          status: 'firing',
          startsAt: Date.parse('2024-05-14T09:21:03.512Z'),
          priority: 'urgent',
        },
        {
          id: '9a0e5b1f3c7d2e44',
          status: 'firing',
          startsAt: Date.parse('2024-05-14T09:22:18.001Z'),
          priority: 'urgent',
        },
      ],
      ticket: { tags: ['my-alertmanager'] },
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
      alerts: [{ priority: 'high' }, { priority: 'high' }],
      ticket: { tags: ['my-alertmanager', 'ops'], agentGroup: 'SRE' },
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

describe('alert identity and thread', () => {
  it('identifies an alert by its fingerprint, else by a hash of its sorted labels', ({
    expect,
  }) => {
    const [template] = firing.alerts
    const unprinted = { ...template, fingerprint: undefined }
    const reordered = {
      ...unprinted,
      labels: Object.fromEntries(Object.entries(unprinted.labels ?? {}).reverse()),
    }
    const payload = AlertmanagerPayloadSchema.parse({
      ...firing,
      alerts: [template, unprinted, reordered],
    })

    const [event] = alertmanagerToEvents(payload, contextFor('alertmanager'))

    const ids = event?.type === 'alert' ? event.alerts.map((a) => a.id) : []
    expect(ids[0]).toBe('4f1c2d9a7b3e8c60')
    expect(ids[1]).toMatch(/^labels:[0-9a-f]{16}$/)
    expect(ids[2]).toBe(ids[1])
  })

  it('adds the configured threadBy parts: the sender and a label', ({ expect }) => {
    const context = contextFor('alertmanager', { threadBy: ['externalURL', 'cluster'] })
    const payload = AlertmanagerPayloadSchema.parse({
      ...firing,
      commonLabels: { ...firing.commonLabels, cluster: 'prod-eu' },
    })

    const [event] = alertmanagerToEvents(payload, context)

    expect(event?.thread).toBe(
      'udesk:{}/{severity="critical"}:{alertname="InstanceDown"}' +
        '|externalURL=http://alertmanager.example.org:9093|cluster=prod-eu',
    )
  })

  it("reads the end of a resolved alert, and falls back to receipt for Go's zero time", ({
    expect,
  }) => {
    const [event] = alertmanagerToEvents(resolvedPayload, contextFor('alertmanager'))

    expect(event?.type === 'alert' && event.alerts[0]).toMatchObject({
      status: 'resolved',
      endsAt: Date.parse('2024-05-14T09:41:03.512Z'),
    })
  })
})
