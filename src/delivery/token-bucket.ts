/**
 * Token-bucket arithmetic with an explicit clock, kept apart from the Durable Object so it can
 * be tested with a frozen clock.
 *
 * To hold "at most N requests in ANY 60 seconds" (not merely N per minute on average), the
 * bucket holds `burst` tokens and refills `N - burst` per minute: a window of 60 s can then
 * spend at most the `burst` saved up plus the `N - burst` refilled, which is N.
 */
export interface BucketConfig {
  capacity: number
  refillPerMs: number
}

export interface BucketState {
  /** Tokens at `updatedAt`; negative when future tokens are already promised to waiters. */
  tokens: number
  /** The moment `tokens` refers to; in the future while Udesk asked us to pause. */
  updatedAt: number
}

export type Acquired =
  | { granted: true; waitMs: number; state: BucketState }
  | { granted: false; waitMs: number; state: BucketState }

export function bucketConfig(requestsPerMinute: number): BucketConfig {
  const perMinute = Math.max(1, requestsPerMinute)
  const capacity = Math.max(1, Math.floor(perMinute / 10))
  const refill = Math.max(perMinute - capacity, 1)
  return { capacity, refillPerMs: refill / 60_000 }
}

export function fullBucket(config: BucketConfig, now: number): BucketState {
  return { tokens: config.capacity, updatedAt: now }
}

export function refill(state: BucketState, config: BucketConfig, now: number): BucketState {
  if (now <= state.updatedAt) return state
  const tokens = state.tokens + (now - state.updatedAt) * config.refillPerMs
  return { tokens: Math.min(config.capacity, tokens), updatedAt: now }
}

/**
 * Takes one token. A caller that must wait up to `maxWaitMs` gets the token reserved and the
 * time to wait; one that would wait longer gets nothing and is told how long, so it can put
 * its message back on the queue instead of holding a worker.
 */
export function acquire(
  state: BucketState,
  config: BucketConfig,
  now: number,
  maxWaitMs: number,
): Acquired {
  const current = refill(state, config, now)
  const deficit = Math.max(0, 1 - current.tokens)
  const readyAt = current.updatedAt + Math.ceil(deficit / config.refillPerMs)
  const waitMs = Math.max(0, readyAt - now)
  if (waitMs > maxWaitMs) return { granted: false, waitMs, state: current }
  return { granted: true, waitMs, state: { ...current, tokens: current.tokens - 1 } }
}

/** Udesk answered 429: spend nothing until `until`, and start from an empty bucket then. */
export function pause(
  state: BucketState,
  config: BucketConfig,
  now: number,
  until: number,
): BucketState {
  const current = refill(state, config, now)
  if (until <= current.updatedAt) return current
  return { tokens: Math.min(current.tokens, 0), updatedAt: until }
}
