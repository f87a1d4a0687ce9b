import { z } from 'zod'
import { TicketEventSchema } from '../ticket-event'

/** What the webhook route puts on DELIVERY_QUEUE: one ticket event per message. */
export const DeliveryMessageSchema = z.object({
  event: TicketEventSchema,
  /** Delivery id the sender used (Slack event_id, webhook-id, ...), for logs. */
  deliveryId: z.string(),
})
export type DeliveryMessage = z.infer<typeof DeliveryMessageSchema>

/**
 * What the consumer puts on DEAD_LETTER_QUEUE when it gives up. A message the platform moves
 * there by itself (consumer crashed past `max_retries`) arrives as a plain DeliveryMessage.
 */
export const DeadLetterMessageSchema = DeliveryMessageSchema.extend({
  reason: z.string(),
  attempts: z.number().int(),
  lastError: z.string().optional(),
  failedAt: z.number(),
})
export type DeadLetterMessage = z.infer<typeof DeadLetterMessageSchema>
