import { refill, type BucketConfig, type BucketState } from '../delivery/token-bucket'

/**
 * Polls share the Udesk account's token bucket with writes (ticket creation, replies, status)
 * but only take what writes leave over: a poll never waits and never reserves, and it is
 * granted only when `floor` tokens stay in the bucket after it. Writes that wait have already
 * reserved tokens (the bucket goes below zero), so while writes queue no poll is granted: an
 * alert storm slows polling, never ticket creation.
 */
export type SpareToken =
  | { granted: true; state: BucketState }
  /** `retryInMs`: when the bucket, left alone, would have a spare token again. */
  | { granted: false; retryInMs: number; state: BucketState }

/**
 * Tokens kept for writes: all but one of the burst, so a poll only ever takes a token from a
 * full bucket. Polls lose no throughput by it (they are bound by the refill anyway), and a
 * burst of writes finds at most one token missing.
 */
export function pollFloor(config: BucketConfig): number {
  return Math.max(0, config.capacity - 1)
}

/** Takes a spare token for a poll, or says how long until there may be one. */
export function acquireSpare(
  state: BucketState,
  config: BucketConfig,
  now: number,
  floor = pollFloor(config),
): SpareToken {
  const current = refill(state, config, now)
  const needed = floor + 1 - current.tokens
  if (now >= current.pausedUntil && needed <= 0) {
    return { granted: true, state: { ...current, tokens: current.tokens - 1 } }
  }
  const start = Math.max(now, current.pausedUntil)
  const retryInMs = start - now + Math.ceil(Math.max(0, needed) / config.refillPerMs)
  return { granted: false, retryInMs, state: current }
}
