import type { IntakeConfig } from '../config'
import { QueueUnavailableError } from '../errors'
import { deleteAttachments, storeAttachments } from './attachments'
import type { Intake } from './intake'
import { toDeliveryMessages } from './queue-message'
import { isMarkedReplay, isReplay, rememberDelivery, rememberMark } from './replay-filter'

export type Acceptance = 'accepted' | 'duplicate'

/** Where work that the answer need not wait for goes: `ExecutionContext.waitUntil`. */
export type WaitUntil = (promise: Promise<unknown>) => void

/**
 * Steps 5 and 6 of docs/design.md's flow: drop a replay, else queue the events. The delivery id is
 * remembered only once the queue has the events, so a failed send (503) leaves the sender free
 * to retry. It is remembered in the isolate's memory before answering and in KV after
 * (`waitUntil`): a KV write that fails, or that a retry on another isolate overtakes, costs
 * nothing but a duplicate the thread's Durable Object drops, since event ids are a function of
 * the delivery (`eventId`) and the queue already holds the events. That was already so with
 * an awaited write, which KV's eventual consistency never made a guarantee.
 */
export async function acceptEvents(
  env: Env,
  config: IntakeConfig,
  source: string,
  intake: Extract<Intake, { kind: 'events' }>,
  waitUntil: WaitUntil,
): Promise<Acceptance> {
  const { deliveryId, events, files = [], unrepeatable } = intake
  if (!unrepeatable && (await isReplayed(env.BRIDGE_KV, source, intake))) return 'duplicate'
  const messages = await toDeliveryMessages(env.BRIDGE_KV, events, deliveryId)
  const refs = events.flatMap((e) => (e.type === 'open' ? (e.attachments ?? []) : []))
  if (refs.length > 0) await storeAttachments(env.BRIDGE_KV, refs, files)
  try {
    await env.DELIVERY_QUEUE.sendBatch(messages)
  } catch (err) {
    await deleteAttachments(env.BRIDGE_KV, refs)
    throw new QueueUnavailableError({ cause: err })
  }
  if (!unrepeatable) waitUntil(remember(env.BRIDGE_KV, config, source, intake))
  return 'accepted'
}

/** The replay filter's record of an accepted delivery (memory at once, KV when it returns). */
async function remember(
  kv: KVNamespace,
  config: IntakeConfig,
  source: string,
  intake: Extract<Intake, { kind: 'events' }>,
): Promise<void> {
  const { deliveryId, events, aliases = [], replay } = intake
  const record = {
    acceptedAt: events[0]?.receivedAt ?? Date.now(),
    eventIds: events.map((e) => e.id),
  }
  const ttl = config.REPLAY_TTL_SECONDS
  try {
    if (replay) await rememberMark(kv, replay)
    else {
      const ids = [deliveryId, ...aliases]
      await Promise.all(ids.map((id) => rememberDelivery(kv, source, id, record, ttl)))
    }
  } catch (err) {
    console.error(
      JSON.stringify({ msg: 'replay key not written', source, deliveryId, error: String(err) }),
    )
  }
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
