import { deliverItem, type Target } from './deliver-item'
import type { DeliveryResult, OutboxItem } from './outbox'

/** KV: a webhook source whose reply URL answered `410 Gone` (value: that URL). */
const goneKey = (source: string) => `reply-endpoint-gone:${source}`

/** What a thread's delivery answers while its source's endpoint is disabled. */
export const ENDPOINT_DISABLED = 'endpoint_disabled_after_410'

/**
 * Delivers the head, unless the source's reply URL said `410 Gone` before: Standard Webhooks'
 * way for a receiver to say "stop sending", so the endpoint is disabled for every thread of the
 * source (each thread's answer becomes a dead letter without a request) until a replay, or
 * until the source's reply URL is changed (the flag holds the URL that was gone, and a new
 * one is tried).
 */
export async function deliverUnlessGone(
  kv: KVNamespace,
  source: string,
  item: OutboxItem,
  target: Target,
): Promise<DeliveryResult> {
  if (target.kind === 'webhook' && (await kv.get(goneKey(source))) === target.url) {
    return { ok: false, kind: 'permanent', steps: 0, error: ENDPOINT_DISABLED }
  }
  const result = await deliverItem(item, target)
  if (target.kind === 'webhook' && !result.ok && result.error === 'http_410') {
    await kv.put(goneKey(source), target.url)
  }
  return result
}

/** A replayed letter says the receiver is back: its source's endpoint is enabled again. */
export async function reopenEndpoint(kv: KVNamespace, source: string): Promise<void> {
  if ((await kv.get(goneKey(source))) !== null) await kv.delete(goneKey(source))
}
