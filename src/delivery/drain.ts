import type { TicketEvent } from '../ticket-event'
import { applyAlert, isSupersededAlert } from './apply-alert'
import { applyTicketEvent } from './apply-event'
import { classifyFailure, type FailureVerdict } from './retry-policy'
import type { ApplyContext } from './steps'
import type { InboxRow } from './thread-store'

export type RetryVerdict = Extract<FailureVerdict, { kind: 'retry' }>
export type PermanentVerdict = Extract<FailureVerdict, { kind: 'permanent' }>

export type EventResult =
  | { kind: 'applied' | 'superseded' }
  | { kind: 'retry'; verdict: RetryVerdict }
  | { kind: 'failed'; verdict: PermanentVerdict }

export interface DrainReport {
  results: Map<string, EventResult>
  /** The event a retryable failure stopped at; later events of the thread wait behind it. */
  blockedBy?: { eventId: string; verdict: RetryVerdict }
}

/** Events that can make the thread's ticket; replies and resolves wait for one. */
export function isOpener(event: TicketEvent): boolean {
  return event.type === 'open' || event.type === 'alert'
}

/**
 * Applies the thread's inbox in order: the event that opens the ticket first, then the rest by
 * `receivedAt`. Stops at the first retryable failure, so a reply never overtakes an earlier one
 * that Udesk failed; a permanent failure is set aside (left in the inbox for the caller to
 * dead-letter) and the rest go on. `seen` holds the events whose queue message this call
 * answers (or the object owns): applied events not in it are reported when their message
 * comes back.
 */
export async function drainInbox(ctx: ApplyContext, seen: Set<string>): Promise<DrainReport> {
  const results = new Map<string, EventResult>()
  const skip = new Set<string>()
  for (;;) {
    supersedeAlerts(ctx, seen, skip, results)
    const row = nextRow(ctx, skip)
    if (!row) return { results }
    const id = row.event.id
    try {
      if (row.event.type === 'alert') await applyAlert(ctx, row.event)
      else await applyTicketEvent(ctx, row.event)
      ctx.store.finish(id, 'applied', seen.has(id) || row.owned)
      results.set(id, { kind: 'applied' })
    } catch (err) {
      const verdict = classifyFailure(err)
      if (verdict.kind === 'retry') {
        results.set(id, { kind: 'retry', verdict })
        return { results, blockedBy: { eventId: id, verdict } }
      }
      results.set(id, { kind: 'failed', verdict })
      skip.add(id)
    }
  }
}

function nextRow(ctx: ApplyContext, skip: Set<string>): InboxRow | undefined {
  const rows = ctx.store.inbox().filter((r) => !skip.has(r.event.id))
  if (ctx.store.state.ticketId !== undefined) return rows[0]
  const openers = rows.filter((r) => isOpener(r.event))
  // An opener whose create may already have reached Udesk goes first: it must be settled
  // (found or repeated) before any other event could open a second ticket.
  return openers.find((r) => ctx.store.hasSteps(r.event.id)) ?? openers[0]
}

/**
 * Alert events carry the whole state of their group, so only the newest matters: older ones
 * in the inbox, and any older than the state already applied, are superseded without a call.
 */
function supersedeAlerts(
  ctx: ApplyContext,
  seen: Set<string>,
  skip: Set<string>,
  results: Map<string, EventResult>,
): void {
  const alerts = ctx.store.inbox().filter((r) => r.event.type === 'alert' && !skip.has(r.event.id))
  const newest = alerts[alerts.length - 1]
  const noTicket = ctx.store.state.ticketId === undefined
  for (const row of alerts) {
    if (row.event.type !== 'alert') continue
    const older = row !== newest || isSupersededAlert(ctx, row.event)
    if (!older || (noTicket && ctx.store.hasSteps(row.event.id))) continue
    ctx.store.finish(row.event.id, 'superseded', seen.has(row.event.id) || row.owned)
    results.set(row.event.id, { kind: 'superseded' })
  }
}
