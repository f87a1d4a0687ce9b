/**
 * Cloudflare Queues' sendBatch takes at most 100 messages and 256 KB in all, one message at
 * most 128 KB. Dead letters can be ~100 KB each, so a replay is chunked by serialized size,
 * with room left for the platform's per-message overhead.
 */
export const MAX_BATCH_MESSAGES = 100
export const MAX_BATCH_BYTES = 240_000

/** Consecutive chunks of `items`, each within the batch limits; a big item goes alone. */
export function chunkBySize<T extends { bytes: number }>(
  items: T[],
  maxBytes = MAX_BATCH_BYTES,
  maxCount = MAX_BATCH_MESSAGES,
): T[][] {
  const chunks: T[][] = []
  let current: T[] = []
  let size = 0
  for (const item of items) {
    if (current.length > 0 && (size + item.bytes > maxBytes || current.length >= maxCount)) {
      chunks.push(current)
      current = []
      size = 0
    }
    current.push(item)
    size += item.bytes
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
