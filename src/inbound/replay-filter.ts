import type { ReplayMark } from './intake'
import { recentDeliveries } from './recent-deliveries'

/**
 * The first, cheap replay filter: delivery ids seen per source, in this isolate's memory
 * (`recentDeliveries`) and in KV with a TTL covering the senders' retry horizons. KV is
 * eventually consistent, so the thread's Durable Object (which remembers applied event ids)
 * stays the last word.
 */
export function replayKey(source: string, deliveryId: string): string {
  return `replay:${source}:${deliveryId}`
}

/** Whether `deliveryId` was accepted before: this isolate's memory first, else one KV read. */
export async function isReplay(kv: KVNamespace, source: string, deliveryId: string) {
  const key = replayKey(source, deliveryId)
  if (recentDeliveries.has(key, Date.now())) return true
  return (await kv.get(key)) !== null
}

/**
 * Remembers an accepted delivery: in this isolate's memory at once (before the first await, so
 * a retry answered after this call returns sees it), then in KV.
 */
export async function rememberDelivery(
  kv: KVNamespace,
  source: string,
  deliveryId: string,
  record: { acceptedAt: number; eventIds: string[] },
  ttlSeconds: number,
): Promise<void> {
  const key = replayKey(source, deliveryId)
  recentDeliveries.add(key, record.acceptedAt + ttlSeconds * 1000)
  // KV refuses an expiration under 60 s.
  const expirationTtl = Math.max(60, ttlSeconds)
  await kv.put(key, JSON.stringify(record), { expirationTtl })
}

/** Whether the intake's own mark is set (the exact redelivery of the last notification). */
export async function isMarkedReplay(kv: KVNamespace, mark: ReplayMark): Promise<boolean> {
  return (await kv.get(mark.key)) === mark.value
}

export async function rememberMark(kv: KVNamespace, mark: ReplayMark): Promise<void> {
  await kv.put(mark.key, mark.value, { expirationTtl: Math.max(60, mark.ttlSeconds) })
}
