import { loadConfig } from '../config'
import { loadTwoWayConfig } from '../two-way-config'
import type { ThreadWatch } from './thread-watch'
import type { WatchSweep } from './watch-sweep'

/** A thread's watch, keyed like its `ThreadCoordinator` (source and thread). */
export function threadWatch(env: Env, ref: { source: string; thread: string }) {
  const ns = env.THREAD_WATCH as unknown as DurableObjectNamespace<ThreadWatch>
  return ns.get(ns.idFromName(`${ref.source}\n${ref.thread}`))
}

/** KV: ticket id -> the watched thread, for the doorbell and the sweep. */
export const watchIndexKey = (ticketId: number) => `watch-ticket:${ticketId}`

/** The sweep of the Udesk account the bridge writes to (one per account, like its budget). */
export function watchSweep(env: Env) {
  const ns = env.WATCH_SWEEP as unknown as DurableObjectNamespace<WatchSweep>
  const config = loadConfig(env)
  return ns.get(ns.idFromName(`${config.UDESK_BASE_URL}\n${config.UDESK_EMAIL}`))
}

/** The sweep's filter id; undefined when no sweep is set up (or two-way is misconfigured). */
export function sweepFilterId(env: Env): number | undefined {
  try {
    return loadTwoWayConfig(env).settings.UDESK_WATCH_FILTER_ID
  } catch {
    return undefined
  }
}

/**
 * Tells the sweep, when there is one, that a thread got busy (`want`) or the doorbell rang
 * (`ring`). A sweep that cannot be told costs speed, never a reply (each watch then reads its
 * own ticket), so it is logged, not thrown.
 */
export async function tellSweep(env: Env, what: 'want' | 'ring'): Promise<void> {
  if (sweepFilterId(env) === undefined) return
  try {
    await (what === 'want' ? watchSweep(env).want() : watchSweep(env).ring())
  } catch (err) {
    console.error(JSON.stringify({ msg: 'watch sweep not told', error: String(err) }))
  }
}
