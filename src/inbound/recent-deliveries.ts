/**
 * Delivery ids this isolate accepted (queued) itself, in memory: a sender's quick retry mostly
 * lands on the isolate that answered the first try, and is then answered `duplicate` without a
 * KV read. A hit is always right (this isolate queued that delivery, within the replay TTL); a
 * miss proves nothing, so KV and then the thread's Durable Object decide as before. Only
 * delivery ids live here, never alert marks: a mark's value changes with each notification, and
 * another isolate may have moved it on.
 */
export class RecentDeliveries {
  /** Key -> expiry (ms since epoch), oldest first (a Map keeps insertion order). */
  readonly #expiries = new Map<string, number>()

  /** @param capacity entries kept; the oldest go first (about 100 bytes each). */
  constructor(readonly capacity: number) {}

  /** Whether `key` was remembered and has not expired at `nowMs`. */
  has(key: string, nowMs: number): boolean {
    const expiresAt = this.#expiries.get(key)
    if (expiresAt === undefined) return false
    if (expiresAt > nowMs) return true
    this.#expiries.delete(key)
    return false
  }

  /** Remembers `key` until `expiresAtMs`, dropping the oldest entry when full. */
  add(key: string, expiresAtMs: number): void {
    this.#expiries.delete(key)
    this.#expiries.set(key, expiresAtMs)
    if (this.#expiries.size <= this.capacity) return
    const oldest = this.#expiries.keys().next()
    if (!oldest.done) this.#expiries.delete(oldest.value)
  }
}

/** The isolate's own: 10,000 ids (about 1 MB) cover a sender's retries within minutes. */
export const recentDeliveries = new RecentDeliveries(10_000)
