import type { Config } from '../config'
import { customerLookup } from './customers'
import { deadLetter, sendDeadLetter } from './dead-letters'
import { isOpener, type DrainReport } from './drain'
import type { InboxRow } from './inbox-table'
import { logDelivery } from './log'
import type { DeliveryItem } from './outcomes'
import type { ThreadStore } from './thread-store'

/**
 * After a drain, for the events the thread's object owns: a given-up one is dead-lettered from
 * here (read one at a time); one waiting behind another event waits as long as that one. False
 * when a dead-letter send failed (the event stays, and the alarm tries again).
 */
export async function settleOwned(
  env: Env,
  store: ThreadStore,
  report?: DrainReport,
  onDeadLettered?: DeadLetteredHook,
): Promise<boolean> {
  const blocked = report?.blockedBy
  if (blocked) store.rows.postponeOwned(blocked.eventId, blocked.untilMs)
  let ok = true
  for (const summary of store.rows.owned().filter((r) => r.failed)) {
    const row = store.inboxRow(summary.eventId)
    if (row) ok = (await giveUp(env, store, row, onDeadLettered)) && ok
  }
  return ok
}

/** Told of each event sent to the dead letters (the console's event trail). */
export type DeadLetteredHook = (
  eventId: string,
  detail: { reason?: string; attempts: number; error: string },
) => Promise<void>

/** Sends a given-up event to the dead letters and forgets it; false (kept) when that fails. */
async function giveUp(
  env: Env,
  store: ThreadStore,
  row: InboxRow,
  onDeadLettered?: DeadLetteredHook,
): Promise<boolean> {
  const message = { event: row.event, deliveryId: row.deliveryId }
  const [attempt, reason, error] = [row.attempts, row.failed?.reason, row.lastError ?? '']
  try {
    await sendDeadLetter(env, deadLetter(message, reason ?? 'max_attempts', attempt, error))
  } catch (err) {
    const failure = { errorCode: 'dead_letter_send', error: String(err) }
    logDelivery(message, { outcome: 'retry', attempt, ...failure })
    return false
  }
  store.removeInbox(row.event.id)
  await onDeadLettered?.(row.event.id, { reason, attempts: attempt, error })
  logDelivery(message, { outcome: 'dead_lettered', attempt, reason, error })
  return true
}

/**
 * Puts a new event in the thread's inbox. A replayed opener on a thread without a ticket may
 * have made one in its first life: its reference becomes a doubt the drain looks up first.
 * A form source's thread is marked one-shot (its storage goes once its ticket exists).
 */
export function receiveEvent(store: ThreadStore, item: DeliveryItem, config: Config): void {
  const existing = store.inboxRow(item.event.id)
  store.putInbox({
    attempts: 0,
    nextAt: 0,
    addedAt: Date.now(),
    ...existing,
    event: item.event,
    deliveryId: item.deliveryId,
    owned: false,
    ...(item.replay && { replay: true }),
  })
  const { event } = item
  if (config.SOURCES[event.source]?.kind === 'form' && !store.state.oneShot) {
    store.setState({ oneShot: true })
  }
  if (!item.replay || !isOpener(event) || store.state.ticketId !== undefined) return
  if (event.type !== 'open' && event.type !== 'alert') return
  const customer = event.type === 'open' ? customerLookup(event.customer) : undefined
  store.beginCreate({ ref: event.id, subject: event.subject, customer, since: Date.now() })
}
