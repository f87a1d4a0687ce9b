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
  updatedAt: number
  /** Udesk asked us to stop (429 Retry-After): nothing refills or is granted before this. */
  pausedUntil: number
}

/**
 * Who waits for Udesk's budget first when several sources share it. A source's events take a
 * token only while the bucket keeps its class's reserve for the classes above: a flood of form
 * posts can use what alerts leave, never the last tokens an alert needs (alerts first).
 */
export type DeliveryPriority = 'high' | 'normal' | 'low'

/** Tokens a class leaves in the bucket for the classes above it. */
export function reserveFor(priority: DeliveryPriority, config: BucketConfig): number {
  if (priority === 'high' || config.capacity < 2) return 0
  return priority === 'low' ? Math.ceil(config.capacity / 2) : Math.ceil(config.capacity / 4)
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
  return { tokens: config.capacity, updatedAt: now, pausedUntil: 0 }
}

/** Tokens earned since the last update; a clock that went back earns nothing, but blocks nothing. */
export function refill(state: BucketState, config: BucketConfig, now: number): BucketState {
  const from = Math.max(state.updatedAt, state.pausedUntil ?? 0)
  const earned = Math.max(0, now - from) * config.refillPerMs
  const tokens = Math.min(config.capacity, state.tokens + earned)
  return { tokens, updatedAt: now, pausedUntil: state.pausedUntil ?? 0 }
}

/**
 * Takes one token, leaving `reserve` tokens (see `reserveFor`) for callers of higher priority.
 * A caller that must wait up to `maxWaitMs` gets the token reserved and the time to wait; one
 * that would wait longer gets nothing and is told how long, so it can put its message back on
 * the queue instead of holding a worker.
 */
export function acquire(
  state: BucketState,
  config: BucketConfig,
  now: number,
  maxWaitMs: number,
  reserve = 0,
): Acquired {
  const current = refill(state, config, now)
  const start = Math.max(now, current.pausedUntil)
  const deficit = Math.max(0, 1 + reserve - current.tokens)
  const waitMs = start + Math.ceil(deficit / config.refillPerMs) - now
  if (waitMs > maxWaitMs) return { granted: false, waitMs, state: current }
  return { granted: true, waitMs, state: { ...current, tokens: current.tokens - 1 } }
}

/** Udesk answered 429: grant nothing until `until`, and start from an empty bucket then. */
export function pause(
  state: BucketState,
  config: BucketConfig,
  now: number,
  until: number,
): BucketState {
  const current = refill(state, config, now)
  const pausedUntil = Math.max(current.pausedUntil, until)
  return { ...current, tokens: Math.min(current.tokens, 0), pausedUntil }
}
