import type { Config } from '../config'
import { QueueUnavailableError } from '../errors'
import { deleteAttachments, storeAttachments } from './attachments'
import type { Intake } from './intake'
import { toDeliveryMessages } from './queue-message'
import { isMarkedReplay, isReplay, rememberDelivery, rememberMark } from './replay-filter'

export type Acceptance = 'accepted' | 'duplicate'

/**
 * Steps 5 and 6 of docs/design.md's flow: drop a replay, else queue the events. The delivery id is
 * remembered only once the queue has the events, so a failed send (503) leaves the sender free
 * to retry; a write that fails after the send costs nothing but a duplicate the thread's
 * Durable Object drops.
 */
export async function acceptEvents(
  env: Env,
  config: Config,
  source: string,
  intake: Extract<Intake, { kind: 'events' }>,
): Promise<Acceptance> {
  const { deliveryId, events, files = [], aliases = [], replay } = intake
  const replayed = replay
    ? await isMarkedReplay(env.BRIDGE_KV, replay)
    : await anyReplay(env.BRIDGE_KV, source, [deliveryId, ...aliases])
  if (replayed) return 'duplicate'
  const messages = await toDeliveryMessages(env.BRIDGE_KV, events, deliveryId)
  const refs = events.flatMap((e) => (e.type === 'open' ? (e.attachments ?? []) : []))
  if (refs.length > 0) await storeAttachments(env.BRIDGE_KV, refs, files)
  try {
    await env.DELIVERY_QUEUE.sendBatch(messages)
  } catch (err) {
    await deleteAttachments(env.BRIDGE_KV, refs)
    throw new QueueUnavailableError({ cause: err })
  }
  const record = {
    acceptedAt: events[0]?.receivedAt ?? Date.now(),
    eventIds: events.map((e) => e.id),
  }
  try {
    if (replay) await rememberMark(env.BRIDGE_KV, replay)
    else {
      for (const id of [deliveryId, ...aliases]) {
        await rememberDelivery(env.BRIDGE_KV, source, id, record, config.REPLAY_TTL_SECONDS)
      }
    }
  } catch (err) {
    console.error(
      JSON.stringify({ msg: 'replay key not written', source, deliveryId, error: String(err) }),
    )
  }
  return 'accepted'
}

/** Whether the delivery was accepted before under any of its ids (Slack: `client_msg_id` too). */
async function anyReplay(kv: KVNamespace, source: string, ids: string[]): Promise<boolean> {
  for (const id of ids) if (await isReplay(kv, source, id)) return true
  return false
}
