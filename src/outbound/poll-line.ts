/**
 * The polls waiting for a spare token of the account's budget, served oldest first: without a
 * line, every waiter wakes when a token is due and whoever asks first wins, so an unlucky poll
 * (an agent's answer waiting to be read) can lose many times in a row while newer ones pass.
 *
 * A waiter is known by an id and the time its poll fell due (`since`); the oldest `since`
 * (then id) among the live waiters has the turn. A waiter that has not asked for `STALE_MS` is
 * gone (its poll gave up or its object was evicted), so it never blocks the line.
 */
export type PollLine = Map<string, { since: number; seenAt: number }>

export interface PollWaiter {
  id: string
  /** When the poll fell due, ms since the epoch: its place in the line. */
  since: number
}

/** Longer than any sleep between two asks of a waiter (`MAX_TURN_RETRY_MS`). */
export const STALE_MS = 3_000
/** How soon a waiter whose turn it is not asks again, at most. */
export const MAX_TURN_RETRY_MS = 250

/**
 * Notes that `waiter` asked at `now` and answers whether it has the turn. Mutates `line` (the
 * rate limiter's in-memory line; losing it on eviction only loses the order, never a token).
 */
export function hasTurn(line: PollLine, waiter: PollWaiter, now: number): boolean {
  for (const [id, entry] of line) if (now - entry.seenAt > STALE_MS) line.delete(id)
  line.set(waiter.id, { since: waiter.since, seenAt: now })
  for (const [id, entry] of line) {
    if (entry.since < waiter.since || (entry.since === waiter.since && id < waiter.id)) {
      return false
    }
  }
  return true
}
