import type { DeliveryMessage } from './message'

export interface DeliveryLogFields {
  outcome: string
  attempt: number
  ticketId?: number
  durationMs?: number
  errorCode?: string
  error?: string
  reason?: string
  delaySeconds?: number
}

/**
 * One JSON line per delivery attempt (Workers Logs indexes the fields). It names the event and
 * what happened to it; never a secret, never the event's content.
 */
export function logDelivery(message: DeliveryMessage, fields: DeliveryLogFields): void {
  const line = {
    msg: 'delivery',
    source: message.event.source,
    deliveryId: message.deliveryId,
    eventId: message.event.id,
    eventType: message.event.type,
    thread: message.event.thread,
    ...fields,
  }
  const failed = fields.outcome === 'failed' || fields.outcome === 'dead_lettered'
  if (failed) console.error(JSON.stringify(line))
  else console.log(JSON.stringify(line))
}
