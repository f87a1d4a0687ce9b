import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { FormSourceSchema } from '../../src/config'
import {
  InvalidEventError,
  loadQueuedMessage,
  toDeliveryMessages,
} from '../../src/inbound/queue-message'
import type { AlertEvent } from '../../src/ticket-event'
import { FormFieldsSchema, formToEvents } from '../../src/sources/forms'
import { RECEIVED_AT } from '../sources/context'

/** The open event a form configured with `subject = ""` made before config refused it. */
function openEventWithEmptySubject() {
  const config = { ...FormSourceSchema.parse({ kind: 'form' }), subject: '' }
  const fields = FormFieldsSchema.parse({ email: 'jane@example.com', message: 'Hello' })
  const context = { source: 'contact', config, deliveryId: 'sub-1', receivedAt: RECEIVED_AT }
  return formToEvents(fields, { ...context, files: [] })
}

describe('toDeliveryMessages', () => {
  it('wraps each valid event with its delivery id', async ({ expect }) => {
    const events = formToEvents(
      FormFieldsSchema.parse({ email: 'jane@example.com', message: 'Hello' }),
      {
        source: 'contact',
        config: FormSourceSchema.parse({ kind: 'form' }),
        deliveryId: 'sub-2',
        receivedAt: RECEIVED_AT,
        files: [],
      },
    )

    const messages = await toDeliveryMessages(env.BRIDGE_KV, events, 'sub-2')

    expect(messages).toEqual([
      { body: { event: events[0], deliveryId: 'sub-2' }, contentType: 'json' },
    ])
  })

  it('refuses an event the consumer could never parse, naming the field, not its value', async ({
    expect,
  }) => {
    const events = openEventWithEmptySubject()

    const refuse = () => toDeliveryMessages(env.BRIDGE_KV, events, 'sub-1')

    await expect(refuse()).rejects.toThrow(InvalidEventError)
    await expect(refuse()).rejects.toThrow(
      'event 0 (contact:sub-1:0) is invalid: subject too_small',
    )
  })
})

describe('alert events too large for one queue message', () => {
  const storm = (alerts: number): AlertEvent => ({
    type: 'alert',
    id: `alertmanager:storm-${alerts}:0`,
    source: 'alertmanager',
    thread: `udesk:{}:{storm="${alerts}"}`,
    receivedAt: RECEIVED_AT,
    status: 'firing',
    subject: 'Storm',
    content: 'FIRING',
    sender: '',
    alerts: Array.from({ length: alerts }, (_, n) => ({
      id: n.toString(16).padStart(16, '0'),
      status: 'firing' as const,
      startsAt: RECEIVED_AT,
    })),
  })

  it('travel by reference: stored in KV, the message carrying its key', async ({ expect }) => {
    const event = storm(10_000)

    const [message] = await toDeliveryMessages(env.BRIDGE_KV, [event], 'storm-1')

    expect(message?.body).toEqual({
      eventRef: expect.stringMatching(/^event-ref:/),
      deliveryId: 'storm-1',
    })
    expect(await loadQueuedMessage(env.BRIDGE_KV, message?.body)).toEqual({
      event,
      deliveryId: 'storm-1',
    })
  })

  it('stay in the message when they fit', async ({ expect }) => {
    const event = storm(10)

    const [message] = await toDeliveryMessages(env.BRIDGE_KV, [event], 'storm-2')

    expect(message?.body).toEqual({ event, deliveryId: 'storm-2' })
    expect(await loadQueuedMessage(env.BRIDGE_KV, message?.body)).toBe(message?.body)
  })
})
