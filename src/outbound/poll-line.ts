/**
 * The polls waiting for a spare token of the account's budget, the starving ones served oldest
 * first: without a line, every waiter wakes when a token is due and whoever asks first wins, so
 * an unlucky poll (an agent's answer waiting to be read) can lose many times in a row while
 * newer ones pass.
 *
 * A waiter is known by an id and the time its poll fell due (`since`). One that has asked for
 * `STARVING_MS` without a token is starving, and a waiter is served only when the spare tokens
 * also cover every starving waiter older than it (`since`, then id). While tokens are plentiful
 * nobody starves and nobody waits for the line. A waiter that has not asked for `STALE_MS` is
 * gone (its poll gave up or its object was evicted): it never blocks the line.
 */
export type PollLine = Map<string, { since: number; firstAskAt: number; seenAt: number }>

export interface PollWaiter {
  id: string
  /** When the poll fell due, ms since the epoch: its place in the line. */
  since: number
}

/** Longer than any sleep between two asks of a waiter (`MAX_TURN_RETRY_MS`, the 2 s cap). */
export const STALE_MS = 3_000
/** Asking this long without a token makes a waiter starving (about two refills at 60/min). */
export const STARVING_MS = 2_000
/** How soon a waiter behind a starving one asks again, at most. */
export const MAX_TURN_RETRY_MS = 250

/**
 * Notes that `waiter` asked at `now` and answers how many starving waiters are ahead of it.
 * Mutates `line` (the rate limiter's in-memory line; losing it on eviction only loses the
 * order, never a token). Remove a waiter once it is served (`line.delete(id)`).
 */
export function starvingAhead(line: PollLine, waiter: PollWaiter, now: number): number {
  for (const [id, entry] of line) if (now - entry.seenAt > STALE_MS) line.delete(id)
  const firstAskAt = line.get(waiter.id)?.firstAskAt ?? now
  line.set(waiter.id, { since: waiter.since, firstAskAt, seenAt: now })
  let ahead = 0
  for (const [id, entry] of line) {
    const older = entry.since < waiter.since || (entry.since === waiter.since && id < waiter.id)
    if (older && now - entry.firstAskAt >= STARVING_MS) ahead++
  }
  return ahead
}
