import { describe, it } from 'vitest'
import { clip, MAX_CONTENT_BYTES } from '../../src/sources/adapter'
import { AlertmanagerPayloadSchema, alertmanagerToEvents } from '../../src/sources/alertmanager'
import { FormFieldsSchema, formToEvents } from '../../src/sources/forms'
import { slackToEvents, SlackPayloadSchema } from '../../src/sources/slack'
import firing from '../fixtures/alertmanager/firing.json'
import { contextFor } from './context'

const utf8Length = (text: string) => new TextEncoder().encode(text).byteLength
const contentOf = (event: { content?: string } | undefined) => event?.content ?? ''

/** Queue messages are limited in bytes, so contents are clipped in UTF-8 bytes, not characters. */
describe('contents clipped to the queue message budget', () => {
  it('clips by UTF-8 bytes at a character boundary, marking the cut', ({ expect }) => {
    expect(clip('abc', 10)).toBe('abc')
    expect(clip('😀😀😀', 12)).toBe('😀😀😀')
    expect(clip('😀😀😀', 11)).toBe('😀😀…')
    expect(clip('😀😀😀', 10)).toBe('😀…')
    expect(clip('中文中文', 9)).toBe('中文…')
  })

  it('keeps a form of emoji within the budget', ({ expect }) => {
    const emoji = (n: number) => '😀'.repeat(n)
    const fields = { email: 'jane@example.com', message: emoji(15_000) }
    for (let n = 0; n < 5; n++) Object.assign(fields, { [`extra${n}`]: emoji(5_000) })
    const context = { ...contextFor('form'), files: [] }

    const [event] = formToEvents(FormFieldsSchema.parse(fields), context)

    const content = contentOf(event)
    expect(utf8Length(content)).toBeLessThanOrEqual(MAX_CONTENT_BYTES)
    expect(utf8Length(content)).toBeGreaterThan(MAX_CONTENT_BYTES - 4)
    // The message keeps its room; the listed fields are what is cut, with a note.
    expect(content.startsWith(`${emoji(15_000)}\n\n---\n`)).toBe(true)
    expect(content).toMatch(
      /😀…\n\[fields cut: they had 100,045 bytes, the message left room for [\d,]+\]$/,
    )
  })

  it('keeps a Slack message of emoji within the budget', ({ expect }) => {
    const payload = SlackPayloadSchema.parse({
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev1',
      event: { type: 'message', channel: 'C1', user: 'U1', ts: '1.0', text: '🚀'.repeat(40_000) },
    })

    const [event] = slackToEvents(payload, contextFor('slack'))

    expect(utf8Length(contentOf(event))).toBeLessThanOrEqual(MAX_CONTENT_BYTES)
  })

  it('lists the first alerts of a large group and counts the rest', ({ expect }) => {
    const [template] = firing.alerts
    const alerts = Array.from({ length: 1_300 }, (_, n) => ({
      ...template,
      labels: { ...template?.labels, instance: `host-${n}:9100` },
      fingerprint: n.toString(16).padStart(16, '0'),
    }))
    const payload = AlertmanagerPayloadSchema.parse({ ...firing, alerts })

    const [event] = alertmanagerToEvents(payload, contextFor('alertmanager'))

    expect(event?.type === 'alert' && event.alerts).toHaveLength(1_300)
    expect(contentOf(event)).toContain('\n\nand 1,280 more')
    expect(contentOf(event).match(/^\[firing\]/gm)).toHaveLength(20)
  })

  it('bounds the id of an alert without fingerprint however long its labels', ({ expect }) => {
    const [template] = firing.alerts
    const alert = (tail: string) => ({
      status: 'firing',
      labels: { alertname: 'Big', query: `${'x'.repeat(5_000)}${tail}` },
      startsAt: template?.startsAt,
    })
    const payload = AlertmanagerPayloadSchema.parse({ ...firing, alerts: [alert('a'), alert('b')] })

    const [event] = alertmanagerToEvents(payload, contextFor('alertmanager'))

    const keys = event?.type === 'alert' ? event.alerts.map((a) => a.id) : []
    expect(keys.every((k) => k.length <= 64)).toBe(true)
    expect(new Set(keys).size).toBe(2)
  })

  it('keeps the state of 10,000 alerts of a larger group, firing ones first, and counts them all', ({
    expect,
  }) => {
    const [template] = firing.alerts
    const alerts = Array.from({ length: 12_000 }, (_, n) => ({
      ...template,
      status: n < 3_000 ? 'resolved' : 'firing',
      endsAt: n < 3_000 ? '2024-05-14T09:41:03.512Z' : template?.endsAt,
      labels: { ...template?.labels, instance: `host-${n}:9100` },
      fingerprint: n.toString(16).padStart(16, '0'),
    }))
    const payload = AlertmanagerPayloadSchema.parse({ ...firing, alerts })

    const [event] = alertmanagerToEvents(payload, contextFor('alertmanager'))

    const tracked = event?.type === 'alert' ? event.alerts : []
    expect(tracked).toHaveLength(10_000)
    expect(tracked.filter((a) => a.status === 'firing')).toHaveLength(9_000)
    expect(contentOf(event)).toContain('FIRING: 9000 firing, 3000 resolved')
  })
})
