/**
 * What the Udesk budget was spent on lately, for the console: requests granted to writes
 * (ticket creation, replies, status) and to two-way polls, counted in windows of
 * `USAGE_WINDOW_MS`; a read covers the current window and the one before it.
 */
export interface BudgetUsage {
  /** Start of the current window, ms since the epoch. */
  windowStart: number
  writes: number
  polls: number
  previous: { writes: number; polls: number }
}

export const USAGE_WINDOW_MS = 10 * 60_000

const empty = (windowStart: number): BudgetUsage => ({
  windowStart,
  writes: 0,
  polls: 0,
  previous: { writes: 0, polls: 0 },
})

/** The usage moved on to the window of `now` (the old current becomes `previous`). */
function current(usage: BudgetUsage | undefined, now: number): BudgetUsage {
  const start = now - (now % USAGE_WINDOW_MS)
  if (!usage || usage.windowStart + 2 * USAGE_WINDOW_MS <= start) return empty(start)
  if (usage.windowStart === start) return usage
  return { ...empty(start), previous: { writes: usage.writes, polls: usage.polls } }
}

/** Counts one granted request of `kind` at `now`. */
export function tally(
  usage: BudgetUsage | undefined,
  kind: 'writes' | 'polls',
  now: number,
): BudgetUsage {
  const moved = current(usage, now)
  return { ...moved, [kind]: moved[kind] + 1 }
}

/** Requests granted in the current and the previous window (10 to 20 minutes). */
export function recentUsage(usage: BudgetUsage | undefined, now: number) {
  const moved = current(usage, now)
  return {
    writes: moved.writes + moved.previous.writes,
    polls: moved.polls + moved.previous.polls,
    sinceMs: now - (moved.windowStart - USAGE_WINDOW_MS),
  }
}
