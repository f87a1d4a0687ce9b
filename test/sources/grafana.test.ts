import { describe, it } from 'vitest'
import { GrafanaPayloadSchema, grafanaToEvents } from '../../src/sources/grafana'
import { TicketEventSchema } from '../../src/ticket-event'
import firing from '../fixtures/grafana/firing.json'
import { contextFor } from './context'

const payload = GrafanaPayloadSchema.parse(firing)

describe('grafanaToEvents', () => {
  it("turns Grafana's documented example into one alert event keyed by orgId and groupKey", ({
    expect,
  }) => {
    const events = grafanaToEvents(payload, contextFor('grafana'))

    expect(events).toHaveLength(1)
    expect(TicketEventSchema.parse(events[0])).toEqual(events[0])
    expect(events[0]).toMatchObject({
      id: 'my-grafana:delivery-1:0',
      type: 'alert',
      status: 'firing',
      thread: '1:{}:{}',
      subject: 'High memory usage, High CPU usage',
      sender: 'https://play.grafana.org/',
      alerts: [
        {
          id: 'c6eadffa33fcdf37',
          status: 'firing',
          startsAt: Date.parse('2021-10-12T09:51:03.157076+02:00'),
        },
        {
          id: 'bc97ff14869b13e3',
          status: 'firing',
          startsAt: Date.parse('2021-10-12T09:56:03.157076+02:00'),
        },
      ],
    })
  })

  it("lists values and silence links, skipping Grafana's empty URLs", ({ expect }) => {
    const [event] = grafanaToEvents(payload, contextFor('grafana'))

    const content = event?.type === 'alert' ? event.content : ''
    expect(content).toContain('Grafana receiver: My Super Webhook')
    expect(content).toContain('Values: B=44.23943737541908, C=1')
    expect(content).toContain(
      'Silence: https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
    )
    expect(content).toContain('Generator: https://play.grafana.org/alerting/d1rdpdv7k/edit')
    expect(content).not.toContain('Dashboard:')
  })

  it('tags the ticket with the source and sets no priority without a severity', ({ expect }) => {
    const [event] = grafanaToEvents(payload, contextFor('grafana'))

    expect(event).toMatchObject({ ticket: { tags: ['my-grafana'] } })
    expect(event?.type === 'alert' && event.ticket).not.toHaveProperty('priority')
  })

  it('maps a severity label of a firing alert to a priority', ({ expect }) => {
    const warned = GrafanaPayloadSchema.parse({
      ...firing,
      alerts: firing.alerts.map((a) => ({ ...a, labels: { ...a.labels, severity: 'Warning' } })),
    })

    const [event] = grafanaToEvents(warned, contextFor('grafana'))

    expect(event).toMatchObject({ alerts: [{ priority: 'high' }, { priority: 'high' }] })
  })

  it('keeps very long group keys within the thread limit, distinct per key', ({ expect }) => {
    const long = (suffix: string) =>
      GrafanaPayloadSchema.parse({ ...firing, groupKey: `{}:{${'x'.repeat(600)}${suffix}}` })

    const [a] = grafanaToEvents(long('a'), contextFor('grafana'))
    const [b] = grafanaToEvents(long('b'), contextFor('grafana'))

    expect(a?.thread.length).toBeLessThanOrEqual(512)
    expect(a?.thread).not.toBe(b?.thread)
  })
})
