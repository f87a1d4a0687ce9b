import type { DeliveryMessage } from '../delivery/message'
import { PayloadTooLargeError } from '../errors'
import { TicketEventSchema, type TicketEvent } from '../ticket-event'

/**
 * An adapter produced an event the consumer cannot parse: a bug of the bridge, answered 500
 * (the sender may retry once it is fixed) rather than queued to fail on every attempt.
 * `reason` names fields and zod's codes, never values.
 */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError'
  constructor(readonly reason: string) {
    super(reason)
  }
}

/**
 * Cloudflare Queues takes 128 KB per message and 256 KB per batch; the bridge stays under
 * both with a margin. Messages are sent as JSON, so their UTF-8 JSON is exactly what counts.
 */
export const MAX_QUEUE_MESSAGE_BYTES = 120_000
export const MAX_QUEUE_BATCH_BYTES = 240_000

type DeliveryRequest = MessageSendRequest<DeliveryMessage> & { contentType: 'json' }

/**
 * The queue messages for a delivery's events, each checked against the consumer's schema and
 * measured: an event the queue would refuse is refused with 413 (a retry would not help, so
 * never 503). Contents are clipped to fit; what is left unbounded (custom fields, the number
 * of alerts in a group) can still make an event too large.
 */
export function toDeliveryMessages(events: TicketEvent[], deliveryId: string): DeliveryRequest[] {
  let total = 0
  return events.map((event, n) => {
    const parsed = TicketEventSchema.safeParse(event)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'} ${i.code}`)
      throw new InvalidEventError(`event ${n} (${event.id}) is invalid: ${fields.join(', ')}`)
    }
    const body: DeliveryMessage = { event, deliveryId }
    const size = encoder.encode(JSON.stringify(body)).byteLength
    total += size
    if (size > MAX_QUEUE_MESSAGE_BYTES)
      throw tooLarge('the event is', size, MAX_QUEUE_MESSAGE_BYTES)
    if (total > MAX_QUEUE_BATCH_BYTES)
      throw tooLarge('the events are', total, MAX_QUEUE_BATCH_BYTES)
    return { body, contentType: 'json' }
  })
}

const encoder = new TextEncoder()

function tooLarge(what: string, size: number, limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `${what} ${size} bytes as a queue message, over the ${limit} ` +
      'the bridge can queue: send fewer or shorter fields, or fewer alerts per notification',
  )
}
