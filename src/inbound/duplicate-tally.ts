import { countStats } from '../delivery/count-stats'

/**
 * How long an isolate gathers the duplicates it answers before adding them to the ledger in
 * one call: a sender replaying a delivery hundreds of times a second costs the ledger (a
 * Durable Object) one write a second per isolate, not one per replay.
 */
export const DUPLICATE_TALLY_MS = 1_000

/** A window whose count never finished (its request was cut short) stops blocking after this. */
const STUCK_WINDOW_MS = 30_000

/** Duplicates this isolate answered per source and not yet counted. */
const pending = new Map<string, number>()
/** When the open window started (ms since epoch), if one is open. */
let windowOpenedAt: number | undefined

/**
 * Counts one duplicate answered for `source` in the console's stats, at most
 * `DUPLICATE_TALLY_MS` later. The first duplicate of a window starts the count and keeps its
 * request alive for it (`waitUntil`, which allows 30 s); the window's later ones only add to
 * it. Stats only: a count that fails is logged by `countStats` and lost.
 */
export function tallyDuplicate(
  env: Env,
  source: string,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  pending.set(source, (pending.get(source) ?? 0) + 1)
  const now = Date.now()
  if (windowOpenedAt !== undefined && now - windowOpenedAt < STUCK_WINDOW_MS) return
  windowOpenedAt = now
  waitUntil(countAfterWindow(env))
}

async function countAfterWindow(env: Env): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, DUPLICATE_TALLY_MS))
  const bySource = Object.fromEntries([...pending].map(([name, n]) => [name, { duplicates: n }]))
  const duplicates = [...pending.values()].reduce((sum, n) => sum + n, 0)
  pending.clear()
  windowOpenedAt = undefined
  await countStats(env, { duplicates }, crypto.randomUUID(), bySource)
}
