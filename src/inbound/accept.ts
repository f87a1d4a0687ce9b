import type { IntakeConfig } from '../config'
import { QueueUnavailableError } from '../errors'
import { deleteAttachments, storeAttachments } from './attachments'
import type { Intake } from './intake'
import { toDeliveryMessages } from './queue-message'
import { isMarkedReplay, isReplay, rememberHere, replayNote } from './replay-filter'

export type Acceptance = 'accepted' | 'duplicate'

/**
 * Steps 5 and 6 of docs/design.md's flow: drop a replay, else queue the events. The queue send
 * is the only write a sender waits for: the delivery's first message carries its `ReplayNote`,
 * and the consumer writes it to KV when it first takes the message (inbound/replay-filter.ts),
 * so a key never exists for events the queue refused (503: the sender is free to retry). This
 * isolate remembers the delivery in memory at once, before answering.
 *
 * A redelivery to another isolate in the second or so before the consumer has written the key
 * is queued again and answered 202: the thread's Durable Object drops it, since event ids are
 * a function of the delivery (`eventId`). KV, eventually consistent, never promised more.
 */
export async function acceptEvents(
  env: Env,
  config: IntakeConfig,
  source: string,
  intake: Extract<Intake, { kind: 'events' }>,
): Promise<Acceptance> {
  const { deliveryId, events, files = [], unrepeatable, aliases = [], replay } = intake
  if (!unrepeatable && (await isReplayed(env.BRIDGE_KV, source, intake))) return 'duplicate'
  const acceptedAt = events[0]?.receivedAt ?? Date.now()
  const accepted = { ids: [deliveryId, ...aliases], acceptedAt, eventIds: events.map((e) => e.id) }
  const note = unrepeatable
    ? undefined
    : replayNote(
        source,
        { ...accepted, ...(replay && { mark: replay }) },
        config.REPLAY_TTL_SECONDS,
      )
  const messages = await toDeliveryMessages(env.BRIDGE_KV, events, deliveryId, note)
  const refs = events.flatMap((e) => (e.type === 'open' ? (e.attachments ?? []) : []))
  if (refs.length > 0) await storeAttachments(env.BRIDGE_KV, refs, files)
  try {
    await env.DELIVERY_QUEUE.sendBatch(messages)
  } catch (err) {
    await deleteAttachments(env.BRIDGE_KV, refs)
    throw new QueueUnavailableError({ cause: err })
  }
  if (note) rememberHere(note)
  return 'accepted'
}

/** The intake's mark is set, or any of the delivery's ids was accepted before. */
function isReplayed(kv: KVNamespace, source: string, intake: Extract<Intake, { kind: 'events' }>) {
  const { deliveryId, aliases = [], replay } = intake
  return replay ? isMarkedReplay(kv, replay) : anyReplay(kv, source, [deliveryId, ...aliases])
}

/** Whether the delivery was accepted before under any of its ids (Slack: `client_msg_id` too). */
async function anyReplay(kv: KVNamespace, source: string, ids: string[]): Promise<boolean> {
  const seen = await Promise.all(ids.map((id) => isReplay(kv, source, id)))
  return seen.includes(true)
}
