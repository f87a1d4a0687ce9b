import type { DeliveryMessage } from '../delivery/message'
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

/** The queue messages for a delivery's events, each checked against the consumer's schema. */
export function toDeliveryMessages(
  events: TicketEvent[],
  deliveryId: string,
): { body: DeliveryMessage }[] {
  return events.map((event, n) => {
    const parsed = TicketEventSchema.safeParse(event)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'} ${i.code}`)
      throw new InvalidEventError(`event ${n} (${event.id}) is invalid: ${fields.join(', ')}`)
    }
    return { body: { event, deliveryId } }
  })
}
