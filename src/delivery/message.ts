import * as z from '../zod'
import { TicketEventSchema } from '../ticket-event'

/** What the webhook route puts on DELIVERY_QUEUE: one ticket event per message. */
export const DeliveryMessageSchema = z.object({
  event: TicketEventSchema,
  /** Delivery id the sender used (Slack event_id, webhook-id, ...), for logs. */
  deliveryId: z.string(),
  /** Put back by a dead-letter replay: the thread looks up what it may have written first. */
  replay: z.optional(z.boolean()),
  /**
   * Queued although the edge answered the delivery duplicate (an alert group's repeated
   * notification, inbound/accept.ts): its thread decides, and it is not counted accepted.
   */
  repeat: z.optional(z.literal(true)),
})
export type DeliveryMessage = z.infer<typeof DeliveryMessageSchema>

/**
 * What the consumer puts on DEAD_LETTER_QUEUE when it gives up. A message the platform moves
 * there by itself (consumer crashed past `max_retries`) arrives as a plain DeliveryMessage.
 */
export const DeadLetterMessageSchema = z.extend(DeliveryMessageSchema, {
  reason: z.string(),
  attempts: z.int(),
  lastError: z.optional(z.string()),
  failedAt: z.number(),
})
export type DeadLetterMessage = z.infer<typeof DeadLetterMessageSchema>

/**
 * A delivery message the consumer could not read (a bug, or a foreign writer): dead-lettered as
 * it came, with what was wrong with it, so an accepted event is never dropped silently.
 */
export const UnreadableLetterSchema = z.object({
  reason: z.literal('unreadable_message'),
  /** The body as JSON text (cut at MAX_RAW_CHARS). */
  raw: z.string(),
  /** The schema's complaints: `path: message`. */
  issues: z.array(z.string()),
  attempts: z.int(),
  lastError: z.optional(z.string()),
  failedAt: z.number(),
})
export type UnreadableLetter = z.infer<typeof UnreadableLetterSchema>

/** What the dead-letter queue carries and the ledger keeps. */
export type StoredLetter = DeadLetterMessage | UnreadableLetter

export function isUnreadable(letter: StoredLetter): letter is UnreadableLetter {
  return letter.reason === 'unreadable_message' && 'raw' in letter
}
