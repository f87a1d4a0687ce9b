import type { Config } from '../config'
import type { TicketEvent } from '../ticket-event'
import { isOpener, type DrainReport } from './drain'
import { waitDelayMs } from './retry-policy'
import { isAwaitingCreate } from './uncertain-create'
import type { InboxRow, ThreadStore } from './thread-store'

/** One queue message's event, as the consumer hands it to its thread. */
export interface DeliveryItem {
  event: TicketEvent
  deliveryId: string
  /** The queue message's attempt, 1 for the first delivery. */
  attempt: number
  /** The last attempt the consumer will make: an event not applied now is given up. */
  final: boolean
  /** Put back by a dead-letter replay. */
  replay?: boolean
}

export type DeliveryOutcome = { eventId: string; ticketId?: number } & (
  | { outcome: 'applied' | 'duplicate' | 'superseded' | 'pending' }
  /** Not applied yet: the message should come back after `delayMs`. */
  | { outcome: 'retry'; delayMs: number; errorCode: string; error: string }
  /** Given up: dead-letter it with this reason. */
  | { outcome: 'failed'; reason: string; attempts: number; errorCode: string; error: string }
)

/**
 * What a message learns after its thread's drain: applied, waiting (pending in the object, or
 * back to the queue for `delayMs`), or given up.
 */
export function outcomeFor(
  store: ThreadStore,
  item: DeliveryItem,
  report: DrainReport,
  config: Config,
): DeliveryOutcome {
  const id = item.event.id
  const ticketId = store.state.ticketId
  const result = report.results.get(id)
  if (result) return { eventId: id, ticketId, outcome: result.kind }
  const row = store.inboxRow(id)
  if (!row) throw new Error(`event ${id} left the inbox unreported`)
  if (row.failed) return failedOutcome(store, row)
  // Kept by the object: its drain gave up on the queue's retries (a create of unknown outcome).
  if (row.owned) return pendingOutcome(store, item.event)
  const keep =
    (ticketId === undefined && !isOpener(item.event)) ||
    (item.final && isAwaitingCreate(store.state))
  if (keep) {
    // No ticket yet, or a ticket that may exist: the object keeps it and applies it once the
    // ticket is there (or certainly absent), however many queue deliveries that would take.
    store.putInbox({ ...row, owned: true })
    return pendingOutcome(store, item.event)
  }
  const blocked = report.blockedBy
  const own = blocked?.eventId === id
  const errorCode = own ? blocked.errorCode : 'blocked'
  const error = own
    ? blocked.error
    : `waiting behind ${blocked?.eventId ?? 'an earlier event'}: ${blocked?.error ?? ''}`
  if (item.final) {
    store.removeInbox(id)
    return {
      eventId: id,
      ticketId,
      outcome: 'failed',
      reason: 'max_attempts',
      attempts: row.attempts,
      errorCode,
      error,
    }
  }
  const untilMs = Math.max(row.nextAt, blocked?.untilMs ?? 0)
  const now = Date.now()
  // Behind a failure's backoff: back when it ends (the thread goes on then). Behind our rate
  // limiter: its wait says nothing of the backlog, so the returns spread wider each time the
  // limiter deferred the thread's head again.
  const delayMs = !blocked?.rateLimited
    ? Math.max(1_000, untilMs - now)
    : waitDelayMs({
        untilMs,
        now,
        attempt: blocked.deferrals,
        random: Math.random(),
        // Two token intervals: a backlog at 3,000 requests a minute clears 50 times faster
        // than one at 60, so its returns need not spread as far.
        baseMs: (2 * 60_000) / config.UDESK_MAX_REQUESTS_PER_MINUTE,
      })
  return { eventId: id, ticketId, outcome: 'retry', delayMs, errorCode, error }
}

/** The message reports its given-up event, which then leaves the inbox. */
export function failedOutcome(store: ThreadStore, row: InboxRow): DeliveryOutcome {
  store.removeInbox(row.event.id)
  return {
    eventId: row.event.id,
    ticketId: store.state.ticketId,
    outcome: 'failed',
    reason: row.failed?.reason ?? 'max_attempts',
    attempts: row.attempts,
    errorCode: row.failed?.errorCode ?? 'unknown',
    error: row.lastError ?? '',
  }
}

export function pendingOutcome(store: ThreadStore, event: TicketEvent): DeliveryOutcome {
  return { eventId: event.id, ticketId: store.state.ticketId, outcome: 'pending' }
}

export function duplicateOutcome(store: ThreadStore, event: TicketEvent): DeliveryOutcome {
  return { eventId: event.id, ticketId: store.state.ticketId, outcome: 'duplicate' }
}
