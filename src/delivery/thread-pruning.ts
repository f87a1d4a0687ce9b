import type { Config } from '../config'
import type { ThreadStore } from './thread-store'

/**
 * A form submission's thread has one event and never another: once its ticket exists, its
 * record only guards against a late copy of that event's queue message. A copy still in flight
 * comes back within the queue's longest delay (12 hours), so a day is enough.
 */
export const ONE_SHOT_HORIZON_MS = 24 * 3600_000

/** Records leave in batches: one alarm prunes an hour's worth, not one record per alarm. */
export const PRUNE_BATCH_MS = 3600_000

function horizonMs(store: ThreadStore, config: Config): number {
  const configured = config.DELIVERY_REDELIVERY_HORIZON_SECONDS * 1000
  return store.state.oneShot ? Math.min(configured, ONE_SHOT_HORIZON_MS) : configured
}

/**
 * Drops what the redelivery horizon no longer needs (applied-event ids older than it or beyond
 * DELIVERY_APPLIED_MAX_RECORDS, step records of events no longer waiting); keeps the thread
 * state (ticket, status, alert state, doubts about a create) and the inbox.
 */
export function pruneThread(store: ThreadStore, config: Config, now: number): void {
  const maxApplied = config.DELIVERY_APPLIED_MAX_RECORDS
  store.prune({ now, horizonMs: horizonMs(store, config), maxApplied })
}

/** When the alarm should next prune (the oldest applied record's horizon ends), if ever. */
export function storageGone(store: ThreadStore, config: Config): number | undefined {
  const oldest = store.oldestAppliedAt()
  if (oldest !== undefined) return oldest + horizonMs(store, config) + PRUNE_BATCH_MS
  return isPrunable(store) ? Date.now() : undefined
}

/** A one-shot thread whose ticket exists and that remembers nothing else: delete it all. */
export function isPrunable(store: ThreadStore): boolean {
  const state = store.state
  if (!state.oneShot || state.ticketId === undefined) return false
  if ((state.uncertainCreates?.length ?? 0) > 0) return false
  return store.oldestAppliedAt() === undefined && store.rows.count() === 0
}
