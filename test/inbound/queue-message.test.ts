import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { FormSourceSchema } from '../../src/config'
import {
  InvalidEventError,
  loadQueuedMessage,
  MAX_QUEUE_MESSAGE_BYTES,
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

describe("a form's files in its queue message", () => {
  /** Base64 data that makes the message's JSON exactly `bytes` long with its files. */
  function filesMaking(bytes: number) {
    const [event] = formToEvents(FormFieldsSchema.parse({ email: 'ada@example.com' }), {
      source: 'contact',
      config: FormSourceSchema.parse({ kind: 'form' }),
      deliveryId: 'sub-1',
      receivedAt: RECEIVED_AT,
      files: [],
    })
    const key = 'attachment:0f8e2c1a'
    const size = (data: string) =>
      new TextEncoder().encode(
        JSON.stringify({ event, deliveryId: 'sub-1', files: [{ key, data }] }),
      ).byteLength
    const data = 'A'.repeat(bytes - size(''))
    expect(size(data)).toBe(bytes)
    return { event: event!, files: [{ key, data }] }
  }

  it('ride in it up to the queue message limit, byte for byte, and not one byte past it', async ({
    expect,
  }) => {
    const fits = filesMaking(MAX_QUEUE_MESSAGE_BYTES)
    const over = filesMaking(MAX_QUEUE_MESSAGE_BYTES + 1)

    const [carried] = await toDeliveryMessages(env.BRIDGE_KV, [fits.event], 'sub-1', fits)
    const [left] = await toDeliveryMessages(env.BRIDGE_KV, [over.event], 'sub-1', over)

    expect(carried?.body).toHaveProperty('files', fits.files)
    expect(left?.body).not.toHaveProperty('files')
  })
})
