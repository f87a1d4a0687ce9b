/**
 * What this isolate queued itself, in memory, answered before KV or without it.
 *
 * `recentDeliveries`: replay keys of deliveries it accepted. A sender's quick retry mostly
 * lands on the isolate that answered the first try, and is then answered `duplicate` without a
 * KV read, and before the queue consumer has written the key to KV at all. A hit is always
 * right (this isolate queued that delivery, within the replay TTL); a miss proves nothing, so
 * KV and then the thread's Durable Object decide as before.
 *
 * `recentMarks`: each alert group's mark, the hash of the latest notification this isolate
 * queued for it, for the source's `replayTtlSeconds`, and only here. Another isolate may have
 * queued a later one, so a hit is a label and never a reason to drop (inbound/accept.ts). Kept
 * apart, so a sender's many alert groups never push another sender's delivery ids out.
 */
export class RecentDeliveries {
  /** Key -> expiry (ms since epoch) and value, oldest first (a Map keeps insertion order). */
  readonly #entries = new Map<string, { expiresAt: number; value: string }>()

  /** @param capacity entries kept; the oldest go first. */
  constructor(readonly capacity: number) {}

  /** Whether `key` was remembered and has not expired at `nowMs`. */
  has(key: string, nowMs: number): boolean {
    return this.#live(key, nowMs) !== undefined
  }

  /** The value `key` was last remembered holding, unless it has expired at `nowMs`. */
  valueOf(key: string, nowMs: number): string | undefined {
    return this.#live(key, nowMs)?.value
  }

  /** Remembers `key` (holding `value`) until `expiresAtMs`, dropping the oldest when full. */
  add(key: string, expiresAtMs: number, value = ''): void {
    this.#entries.delete(key)
    this.#entries.set(key, { expiresAt: expiresAtMs, value })
    if (this.#entries.size <= this.capacity) return
    const oldest = this.#entries.keys().next()
    if (!oldest.done) this.#entries.delete(oldest.value)
  }

  #live(key: string, nowMs: number) {
    const entry = this.#entries.get(key)
    if (entry === undefined || entry.expiresAt > nowMs) return entry
    this.#entries.delete(key)
    return undefined
  }
}

/** 10,000 keys of about 100 bytes (1 MB) cover senders' retries within minutes. */
export const recentDeliveries = new RecentDeliveries(10_000)

/** 10,000 alert groups, each key at most about 300 bytes (3 MB at worst). */
export const recentMarks = new RecentDeliveries(10_000)
