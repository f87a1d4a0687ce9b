/**
 * Replay keys this isolate accepted (queued) itself, in memory: a sender's quick retry mostly
 * lands on the isolate that answered the first try, and is then answered `duplicate` without a
 * KV read, and before the queue consumer has written the key to KV at all. A hit is always
 * right (this isolate queued that delivery, within the replay TTL); a miss proves nothing, so
 * KV and then the thread's Durable Object decide as before.
 *
 * A delivery id is kept for the replay TTL. An alert group's mark (the hash of the latest
 * notification this isolate queued for it) is kept for the source's `replayTtlSeconds`, and
 * only here: another isolate may have queued a later one, so a mark hit is a label, never a
 * reason to drop (inbound/accept.ts).
 */
export class RecentDeliveries {
  /** Key -> expiry (ms since epoch) and value, oldest first (a Map keeps insertion order). */
  readonly #entries = new Map<string, { expiresAt: number; value: string }>()

  /** @param capacity entries kept; the oldest go first (about 200 bytes each). */
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

/** The isolate's own: 10,000 keys (about 1 MB) cover a sender's retries within minutes. */
export const recentDeliveries = new RecentDeliveries(10_000)
