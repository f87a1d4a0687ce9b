import { ledger } from './ledger'
import {
  DeadLetterMessageSchema,
  DeliveryMessageSchema,
  type DeadLetterMessage,
  type DeliveryMessage,
} from './message'
import { logDelivery } from './log'

/** Mirrors `max_retries` of the deliveries consumer in wrangler.toml. */
export const PLATFORM_MAX_RETRIES = 100

/** Why an event was given up on; shown by GET /admin/dead-letters. */
export type DeadLetterReason =
  /** Udesk refused it with a client-error code: waiting will not help. */
  | 'udesk_rejected'
  /** Retryable failures until DELIVERY_MAX_ATTEMPTS. */
  | 'max_attempts'
  /** A reply or resolve whose thread never got a ticket within the pending wait. */
  | 'thread_never_opened'
  /** The platform moved it after the consumer itself kept failing. */
  | 'exhausted_platform_retries'

export function deadLetter(
  message: DeliveryMessage,
  reason: DeadLetterReason | string,
  attempts: number,
  lastError?: string,
): DeadLetterMessage {
  return { ...message, reason, attempts, lastError, failedAt: Date.now() }
}

export async function sendDeadLetter(env: Env, letter: DeadLetterMessage): Promise<void> {
  await env.DEAD_LETTER_QUEUE.send(letter, { contentType: 'json' })
}

/**
 * The same event dead-lettered twice (a redelivered DLQ message, a consumer that crashed after
 * sending) is stored once: the id is a digest of source and event id, and it is URL-safe.
 */
export async function deadLetterId(message: DeliveryMessage): Promise<string> {
  const text = `${message.event.source}\n${message.event.id}`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest).slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}

/** What arrives on the dead-letter queue, as a stored letter; undefined when unreadable. */
export function readDeadLetter(body: unknown): DeadLetterMessage | undefined {
  const letter = DeadLetterMessageSchema.safeParse(body)
  if (letter.success) return letter.data
  const plain = DeliveryMessageSchema.safeParse(body)
  if (!plain.success) return undefined
  return deadLetter(
    plain.data,
    'exhausted_platform_retries',
    PLATFORM_MAX_RETRIES + 1,
    'the platform moved it to the dead-letter queue after the consumer kept failing',
  )
}

/** The `udesk-bridge-dead-letters` consumer: every dead letter lands in the ledger. */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const letter = readDeadLetter(message.body)
    if (!letter) {
      // Not ours to understand; logged loudly with its id rather than kept forever.
      console.error(JSON.stringify({ msg: 'unreadable dead letter', messageId: message.id }))
      message.ack()
      continue
    }
    try {
      await ledger(env).storeDeadLetter(await deadLetterId(letter), letter)
      logDelivery(letter, {
        outcome: 'dead_letter_stored',
        attempt: letter.attempts,
        reason: letter.reason,
      })
      message.ack()
    } catch (err) {
      console.error(JSON.stringify({ msg: 'storing dead letter failed', error: String(err) }))
      message.retry({ delaySeconds: 5 })
    }
  }
}
