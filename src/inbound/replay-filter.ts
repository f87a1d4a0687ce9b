import type { ReplayMark } from './intake'

/**
 * The first, cheap replay filter: delivery ids seen per source, in KV with a TTL covering the
 * senders' retry horizons. KV is eventually consistent, so the thread's Durable Object (which
 * remembers applied event ids) stays the last word.
 */
export function replayKey(source: string, deliveryId: string): string {
  return `replay:${source}:${deliveryId}`
}

export async function isReplay(kv: KVNamespace, source: string, deliveryId: string) {
  return (await kv.get(replayKey(source, deliveryId))) !== null
}

export async function rememberDelivery(
  kv: KVNamespace,
  source: string,
  deliveryId: string,
  record: { acceptedAt: number; eventIds: string[] },
  ttlSeconds: number,
): Promise<void> {
  // KV refuses an expiration under 60 s.
  const expirationTtl = Math.max(60, ttlSeconds)
  await kv.put(replayKey(source, deliveryId), JSON.stringify(record), { expirationTtl })
}

/** Whether the intake's own mark is set (the exact redelivery of the last notification). */
export async function isMarkedReplay(kv: KVNamespace, mark: ReplayMark): Promise<boolean> {
  return (await kv.get(mark.key)) === mark.value
}

export async function rememberMark(kv: KVNamespace, mark: ReplayMark): Promise<void> {
  await kv.put(mark.key, mark.value, { expirationTtl: Math.max(60, mark.ttlSeconds) })
}
