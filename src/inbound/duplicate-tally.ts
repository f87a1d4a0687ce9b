import { countStats } from '../delivery/count-stats'

/**
 * How long an isolate gathers the duplicates it answers before logging them in one line and
 * adding them to the ledger in one call: a sender replaying a delivery hundreds of times a
 * second costs one log line and one Durable Object write a second per isolate, not one each.
 */
export const DUPLICATE_TALLY_MS = 1_000

/** Delivery ids a window's log line names per source, at most (the count is always whole). */
export const LOGGED_IDS_PER_SOURCE = 10

/** A window whose count never finished (its request was cut short) stops blocking after this. */
const STUCK_WINDOW_MS = 30_000

type SourceTally = { answered: number; counted: number; deliveryIds: string[] }

/** Duplicates this isolate answered per source, not yet logged and counted. */
const pending = new Map<string, SourceTally>()
/** When the open window started (ms since epoch), if one is open. */
let windowOpenedAt: number | undefined

/**
 * Records one duplicate answered for `source`: logged (`msg: "duplicates"`) and, when
 * `counted` (a signed sender's: an anonymous form post never writes shared state), added to
 * the console's stats, at most `DUPLICATE_TALLY_MS` later. The first duplicate of a window
 * starts the count and keeps its request alive for it (`waitUntil`, which allows 30 s); the
 * window's later ones only add to it. A count that fails is logged by `countStats` and lost.
 */
export function tallyDuplicate(
  env: Env,
  duplicate: { source: string; deliveryId: string | undefined; counted: boolean },
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  const tally = pending.get(duplicate.source) ?? { answered: 0, counted: 0, deliveryIds: [] }
  pending.set(duplicate.source, tally)
  tally.answered += 1
  if (duplicate.counted) tally.counted += 1
  const id = duplicate.deliveryId
  if (id && tally.deliveryIds.length < LOGGED_IDS_PER_SOURCE && !tally.deliveryIds.includes(id)) {
    tally.deliveryIds.push(id)
  }
  const now = Date.now()
  if (windowOpenedAt !== undefined && now - windowOpenedAt < STUCK_WINDOW_MS) return
  windowOpenedAt = now
  waitUntil(closeWindow(env))
}

async function closeWindow(env: Env): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, DUPLICATE_TALLY_MS))
  const window = [...pending]
  pending.clear()
  windowOpenedAt = undefined
  if (window.length === 0) return
  console.log(
    JSON.stringify({ msg: 'duplicates', status: 200, bySource: Object.fromEntries(window) }),
  )
  const bySource = Object.fromEntries(
    window.filter(([, t]) => t.counted > 0).map(([name, t]) => [name, { duplicates: t.counted }]),
  )
  const duplicates = window.reduce((sum, [, t]) => sum + t.counted, 0)
  await countStats(env, { duplicates }, crypto.randomUUID(), bySource)
}
