import { handleDeliveries } from './consumer'
import { handleDeadLetters } from './dead-letters'
import type { DeliveryMessage } from './message'

export const DELIVERY_QUEUE_NAME = 'udesk-bridge-deliveries'
export const DEAD_LETTER_QUEUE_NAME = 'udesk-bridge-dead-letters'

/** The worker's `queue` handler: one consumer per queue of wrangler.toml. */
export async function handleQueue(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE_NAME) return handleDeadLetters(batch, env)
  if (batch.queue === DELIVERY_QUEUE_NAME) return handleDeliveries(batch, env)
  // A queue bound by mistake: retrying shows it in metrics instead of acking it away.
  console.error(JSON.stringify({ msg: 'message from an unknown queue', queue: batch.queue }))
  batch.retryAll()
}
