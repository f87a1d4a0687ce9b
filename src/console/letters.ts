import { ledger, type DeadLetterRecord } from '../delivery/ledger'
import { countStats } from '../delivery/stats'
import { logDelivery } from '../delivery/log'
import { isUnreadable, type DeadLetterMessage, type DeliveryMessage } from '../delivery/message'
import { chunkBySize } from '../delivery/replay-chunks'
import { fitQueueMessage, type QueuedMessage } from '../inbound/queue-message'
import { describeOutbound, isOutboundRecord, replayOutbound } from './outbound-letters'

/** Letters read from the ledger at a time (by count; they are sent in chunks by size). */
const REPLAY_PAGE = 25

export type ReplayableRecord = DeadLetterRecord & DeadLetterMessage

/** An inbound event's letter, replayed through the delivery queue. */
export function isReplayable(letter: DeadLetterRecord): letter is ReplayableRecord {
  return !isOutboundRecord(letter) && !isUnreadable(letter)
}

/** Whether a letter can be replayed at all: an event, or an answer to a customer (outbound). */
export function canReplay(letter: DeadLetterRecord): boolean {
  return isReplayable(letter) || isOutboundRecord(letter)
}

/** A letter the bridge could not read (kept raw). */
export function isUnreadableRecord(letter: DeadLetterRecord) {
  return !isOutboundRecord(letter) && isUnreadable(letter) ? letter : undefined
}

interface ReplayMessage {
  letter: ReplayableRecord
  message: DeliveryMessage
  /** What is sent: the message, or a reference to it in KV when it is too big for the queue. */
  body: QueuedMessage
  bytes: number
}

async function replayMessage(env: Env, letter: ReplayableRecord): Promise<ReplayMessage> {
  // Marked: the thread looks up what the event may have written before it writes again.
  const message = { event: letter.event, deliveryId: letter.deliveryId, replay: true }
  const body = await fitQueueMessage(env.BRIDGE_KV, message)
  return { letter, message, body, bytes: new TextEncoder().encode(JSON.stringify(body)).length }
}

/**
 * Puts the letters' events back on the delivery queue, then forgets them. Sent before removed:
 * a crash in between replays twice, which the thread coordinator drops as a duplicate.
 */
async function replay(env: Env, messages: ReplayMessage[]): Promise<number> {
  const batch = messages.map((m) => ({ body: m.body, contentType: 'json' as const }))
  await env.DELIVERY_QUEUE.sendBatch(batch)
  await ledger(env).removeDeadLetters(messages.map((m) => m.letter.id))
  const bySource: Record<string, { replayed: number }> = {}
  for (const { message } of messages) {
    const mine = (bySource[message.event.source] ??= { replayed: 0 })
    mine.replayed++
  }
  await countStats(env, { replayed: messages.length }, messages[0]?.letter.id ?? '', bySource)
  for (const { letter, message } of messages) {
    logDelivery(message, { outcome: 'replayed', attempt: letter.attempts, reason: letter.reason })
  }
  return messages.length
}

export type ReplayOne = { replayed: number } | 'not_found' | 'not_replayable'

export async function replayLetter(env: Env, id: string): Promise<ReplayOne> {
  const letter = await ledger(env).getDeadLetter(id)
  if (!letter) return 'not_found'
  if (isOutboundRecord(letter)) return { replayed: await replayOutbound(env, [letter]) }
  if (!isReplayable(letter)) return 'not_replayable'
  return { replayed: await replay(env, [await replayMessage(env, letter)]) }
}

/** Every letter there now (a letter that fails again meanwhile waits for the next replay). */
export async function replayAllLetters(env: Env): Promise<number> {
  const book = ledger(env)
  let remaining = (await book.listDeadLetters(1)).total
  let replayed = 0
  // Unreadable letters cannot be replayed; they stay at the front of the list and are skipped.
  let skipped = 0
  while (remaining > 0) {
    const { items } = await book.listDeadLetters(Math.min(REPLAY_PAGE, remaining), skipped)
    if (items.length === 0) break
    const readable = items.filter(isReplayable)
    const outbound = items.filter(isOutboundRecord)
    const back = await replayOutbound(env, outbound)
    replayed += back
    skipped += items.length - readable.length - back
    const messages = await Promise.all(readable.map((letter) => replayMessage(env, letter)))
    for (const chunk of chunkBySize(messages)) {
      replayed += await replay(env, chunk)
    }
    remaining -= items.length
  }
  return replayed
}

/** A letter as GET /admin/dead-letters lists it. */
export function describeLetter(letter: DeadLetterRecord) {
  const common = {
    id: letter.id,
    reason: letter.reason,
    attempts: letter.attempts,
    lastError: letter.lastError ?? null,
    failedAt: new Date(letter.failedAt).toISOString(),
    storedAt: new Date(letter.storedAt).toISOString(),
  }
  if (isOutboundRecord(letter)) return { ...common, ...describeOutbound(letter) }
  const unreadable = isUnreadableRecord(letter)
  if (unreadable) {
    const none = { source: null, thread: null, eventId: null, eventType: null, deliveryId: null }
    return { ...common, ...none, payload: null, raw: unreadable.raw, issues: unreadable.issues }
  }
  if (!isReplayable(letter)) throw new Error('unreachable: every other letter is replayable')
  return {
    ...common,
    source: letter.event.source,
    thread: letter.event.thread,
    eventId: letter.event.id,
    eventType: letter.event.type,
    deliveryId: letter.deliveryId,
    payload: letter.event,
  }
}

/** Keys whose values are credentials wherever they appear in a payload. */
const SECRET_KEY =
  /token|secret|password|passwd|signature|sign$|authorization|cookie|api[_-]?key|credential/i

/** Credentials with a recognisable shape inside text: Slack tokens, webhook secrets, bearer. */
const SECRET_TEXT = /\b(?:xox[abpr]-[\w-]+|whsec_[\w+/=]+|Bearer\s+\S+)/g

/**
 * A payload for display with every credential-like field's value replaced; customer tokens
 * (`slack:T1:U1`) are external ids, but cost nothing to hide and may be someone's session id.
 */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(SECRET_TEXT, '[redacted]')
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner),
    ]),
  )
}
