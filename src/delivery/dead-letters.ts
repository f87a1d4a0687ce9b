import { MAX_QUEUE_MESSAGE_BYTES, storeFilesCarriedBy } from '../inbound/queue-message'
import { ledger } from './ledger'
import type * as z from '../zod'
import {
  DeadLetterMessageSchema,
  DeliveryMessageSchema,
  UnreadableLetterSchema,
  isUnreadable,
  type DeadLetterMessage,
  type DeliveryMessage,
  type StoredLetter,
  type UnreadableLetter,
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
  /** A queue message that is no DeliveryMessage: kept raw, with the schema's complaints. */
  | 'unreadable_message'

/** Room for the raw body inside one queue message (128 KB) with the letter's other fields. */
export const MAX_RAW_CHARS = 100_000

export function deadLetter(
  message: DeliveryMessage,
  reason: DeadLetterReason | string,
  attempts: number,
  lastError?: string,
): DeadLetterMessage {
  return { ...message, reason, attempts, lastError, failedAt: Date.now() }
}

/** A message nobody can read, as a letter: its raw body and where the schema failed. */
export function unreadableLetter(
  body: unknown,
  issues: z.core.$ZodIssue[],
  attempts: number,
): UnreadableLetter {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body))
  const raw = text.length > MAX_RAW_CHARS ? `${text.slice(0, MAX_RAW_CHARS)}…` : text
  const paths = issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
  return {
    reason: 'unreadable_message',
    raw,
    issues: paths.slice(0, 20),
    attempts,
    lastError: 'not a delivery message',
    failedAt: Date.now(),
  }
}

/**
 * Sends a letter to the dead-letter queue, whose consumer stores it in the ledger. A letter the
 * queue cannot carry (over its 128 KB message limit: an alert storm's event) is stored in the
 * ledger directly, so it is listed and replayable like any other, never stuck.
 */
export async function sendDeadLetter(env: Env, letter: StoredLetter): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify(letter)).byteLength
  if (bytes <= MAX_QUEUE_MESSAGE_BYTES) {
    return void (await env.DEAD_LETTER_QUEUE.send(letter, { contentType: 'json' }))
  }
  await ledger(env).storeDeadLetter(await deadLetterId(letter), letter)
}

/**
 * The same event dead-lettered twice (a redelivered DLQ message, a consumer that crashed after
 * sending) is stored once: the id is a digest of source and event id, and it is URL-safe.
 */
export async function deadLetterId(message: DeliveryMessage | StoredLetter): Promise<string> {
  const text =
    'raw' in message ? `unreadable\n${message.raw}` : `${message.event.source}\n${message.event.id}`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest).slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}

/** What arrives on the dead-letter queue, as a stored letter; kept raw when unreadable. */
export function readDeadLetter(body: unknown, attempts = 1): StoredLetter {
  const letter = DeadLetterMessageSchema.safeParse(body)
  if (letter.success) return letter.data
  const unreadable = UnreadableLetterSchema.safeParse(body)
  if (unreadable.success) return unreadable.data
  const plain = DeliveryMessageSchema.safeParse(body)
  if (!plain.success) return unreadableLetter(body, plain.error.issues, attempts)
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
    const letter = readDeadLetter(message.body, message.attempts)
    await keepCarriedFiles(env.BRIDGE_KV, message.body, letter)
    try {
      await ledger(env).storeDeadLetter(await deadLetterId(letter), letter)
      logStored(letter, message.id)
      message.ack()
    } catch (err) {
      console.error(JSON.stringify({ msg: 'storing dead letter failed', error: String(err) }))
      message.retry({ delaySeconds: 5 })
    }
  }
}

/**
 * A message the platform moved here by itself may still carry a form's small files (inbound/
 * queue-message.ts), which existed nowhere else: the deliveries consumer could not store them.
 * They go to KV now, where the letter's replay reads them (`ATTACHMENT_TTL_SECONDS`). Failing
 * that, the letter is kept all the same and the loss logged: a letter outweighs its files.
 */
async function keepCarriedFiles(kv: KVNamespace, body: unknown, letter: StoredLetter) {
  if (isUnreadable(letter)) return
  try {
    await storeFilesCarriedBy(kv, body, letter.event)
  } catch (err) {
    const fields = { attempt: letter.attempts, errorCode: 'files_not_stored', error: String(err) }
    logDelivery(letter, { outcome: 'files_not_kept', ...fields })
  }
}

function logStored(letter: StoredLetter, messageId: string): void {
  const fields = { outcome: 'dead_letter_stored', attempt: letter.attempts, reason: letter.reason }
  if (!isUnreadable(letter)) return logDelivery(letter, fields)
  console.error(JSON.stringify({ msg: 'delivery', messageId, ...fields, issues: letter.issues }))
}
