import type { IntakeConfig } from '../config'
import { QueueUnavailableError } from '../errors'
import { carryFiles, deleteAttachments, storeAttachments } from './attachments'
import type { Intake } from './intake'
import { toDeliveryMessages } from './queue-message'
import {
  isRepeatHere,
  isReplayOfAny,
  rememberHere,
  rememberMark,
  replayNote,
} from './replay-filter'

export type Acceptance = 'accepted' | 'duplicate'

/**
 * Steps 5 and 6 of docs/design.md's flow: drop a replay, else queue the events. The queue send
 * is the only write a sender waits for: the delivery's first message carries its `ReplayNote`
 * and a form's small files, and the consumer writes them to KV when it takes the message
 * (inbound/replay-filter.ts, attachments.ts), so a key never exists for events the queue
 * refused (503: the sender is free to retry). Only files over `MAX_CARRIED_FILE_BYTES` are
 * written here, before the send. This isolate remembers the delivery in memory at once.
 *
 * A redelivery to another isolate in the second or so before the consumer has written the key
 * is queued again and answered 202: the thread's Durable Object drops it, since event ids are
 * a function of the delivery (`eventId`). KV, eventually consistent, never promised more.
 *
 * An alert notification reads no replay key and writes none: its group's repeat (the mark
 * this isolate holds matches) is answered duplicate and queued all the same, marked `repeat`,
 * since its thread's per-alert state makes an exact repeat a no-op, while a mark this isolate
 * holds may be older than one another isolate queued (a refire after a resolve, byte for byte).
 */
export async function acceptEvents(
  env: Env,
  config: IntakeConfig,
  source: string,
  intake: Extract<Intake, { kind: 'events' }>,
): Promise<Acceptance> {
  const { deliveryId, events, files = [], unrepeatable, aliases = [], replay } = intake
  const ids = [deliveryId, ...aliases]
  // Only an id a sender can repeat is looked up and remembered; an alert's mark is the isolate's.
  const repeatable = !replay && !unrepeatable
  if (repeatable && (await isReplayOfAny(env.BRIDGE_KV, source, ids))) return 'duplicate'
  const repeat = replay !== undefined && isRepeatHere(replay)
  const acceptedAt = events[0]?.receivedAt ?? Date.now()
  const eventIds = events.map((e) => e.id)
  const note = repeatable
    ? replayNote(source, { ids, acceptedAt, eventIds }, config.REPLAY_TTL_SECONDS)
    : undefined
  const refs = events.flatMap((e) => (e.type === 'open' ? (e.attachments ?? []) : []))
  const carried = refs.length > 0 ? await carryFiles(refs, files) : undefined
  const messages = await toDeliveryMessages(env.BRIDGE_KV, events, deliveryId, {
    note,
    files: carried,
    repeat,
  })
  // Files too large to ride in the message are in KV before the queue names them.
  const stored = refs.length > 0 && !messages.some((m) => m.body.files) ? refs : []
  if (stored.length > 0) await storeAttachments(env.BRIDGE_KV, stored, files)
  try {
    await env.DELIVERY_QUEUE.sendBatch(messages)
  } catch (err) {
    await deleteAttachments(env.BRIDGE_KV, stored)
    throw new QueueUnavailableError({ cause: err })
  }
  if (note) rememberHere(note)
  if (replay) rememberMark(replay, acceptedAt)
  return repeat ? 'duplicate' : 'accepted'
}
