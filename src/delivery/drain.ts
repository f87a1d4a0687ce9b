import type { TicketEvent } from '../ticket-event'
import { applyAlert, forgetUncertainStatus, mergeSupersededAlert } from './apply-alert'
import { applyTicketEvent } from './apply-event'
import { backoffDelayMs, classifyFailure, type FailureVerdict } from './retry-policy'
import { settleUncertainCreates } from './create-once'
import type { ApplyContext } from './steps'
import { isAwaitingCreate } from './uncertain-create'
import type { InboxRow } from './inbox-table'

export type RetryVerdict = Extract<FailureVerdict, { kind: 'retry' }>

/** A message arriving a moment before its event's backoff ends is not sent away again. */
const DUE_SLACK_MS = 250

export type EventResult = { kind: 'applied' | 'superseded' }

export interface DrainReport {
  results: Map<string, EventResult>
  /** The event the thread waits for (its backoff, or Udesk failing it); later ones wait too. */
  blockedBy?: BlockedBy
}

export interface BlockedBy {
  eventId: string
  untilMs: number
  errorCode: string
  error: string
  /**
   * The wait is our rate limiter's (the account's requests are spent), not a failed attempt's
   * backoff: `untilMs` then says nothing about how long the backlog lasts.
   */
  rateLimited: boolean
  /** How often the rate limiter deferred the blocking event so far. */
  deferrals: number
}

/** Events that can make the thread's ticket; replies and resolves wait for one. */
export function isOpener(event: TicketEvent): boolean {
  return event.type === 'open' || event.type === 'alert'
}

/**
 * Applies the thread's inbox in order: the event that opens the ticket first, then the rest by
 * `receivedAt`. Stops at an event that is still in its backoff or that fails now, so a reply
 * never overtakes an earlier one and Udesk sees each event's retries spaced by its backoff, not
 * by however often other messages of the thread come by. Without a ticket, the thread's creates
 * of unknown outcome are looked up before anything else. An event Udesk refuses, or that
 * failed DELIVERY_MAX_ATTEMPTS times, is marked failed in the inbox (the caller dead-letters
 * it) and the rest go on; while a create's outcome is unknown nothing is given up. Rows are
 * read one at a time. `seen` holds the events whose queue message this call answers.
 */
export async function drainInbox(ctx: ApplyContext, seen: Set<string>): Promise<DrainReport> {
  const results = new Map<string, EventResult>()
  for (;;) {
    supersedeAlerts(ctx, seen, results)
    const row = nextRow(ctx)
    if (!row) return { results }
    const id = row.event.id
    if (row.nextAt > Date.now() + DUE_SLACK_MS) {
      const why = { errorCode: 'backoff', error: row.lastError ?? 'waiting for its backoff' }
      const wait = { rateLimited: row.rateLimited ?? false, deferrals: row.deferrals ?? 0 }
      return { results, blockedBy: { eventId: id, untilMs: row.nextAt, ...why, ...wait } }
    }
    try {
      if (ctx.store.state.ticketId === undefined) await settleUncertainCreates(ctx)
      // Picked only to settle the thread's doubts: without a ticket it waits for an opener.
      if (ctx.store.state.ticketId === undefined && !isOpener(row.event)) return { results }
      const rowCtx = row.replay ? { ...ctx, replay: true } : ctx
      if (row.event.type === 'alert') await applyAlert(rowCtx, row.event)
      else await applyTicketEvent(rowCtx, row.event)
      ctx.store.finish(id, 'applied', seen.has(id) || row.owned)
      results.set(id, { kind: 'applied' })
    } catch (err) {
      const blocked = recordFailure(ctx, row, classifyFailure(err))
      if (blocked) return { results, blockedBy: blocked }
    }
  }
}

/**
 * Stores the failure on the event's row; returns what the thread now waits for, if anything.
 * A thread waiting on a create of unknown outcome gives nothing up: the event stays, owned by
 * the object, and is retried with capped backoff for as long as Udesk needs.
 */
function recordFailure(
  ctx: ApplyContext,
  row: InboxRow,
  verdict: FailureVerdict,
): BlockedBy | undefined {
  const { errorCode, error } = verdict
  const deferred = verdict.kind === 'retry' && verdict.deferred
  const attempts = row.attempts + (deferred ? 0 : 1)
  const givingUp = verdict.kind === 'permanent' || attempts >= ctx.config.DELIVERY_MAX_ATTEMPTS
  const held = isAwaitingCreate(ctx.store.state)
  if (givingUp && !held) {
    const reason = verdict.kind === 'permanent' ? verdict.reason : 'max_attempts'
    ctx.store.putInbox({ ...row, attempts, lastError: error, failed: { reason, errorCode } })
    return undefined
  }
  const retryAfterMs = verdict.kind === 'retry' ? verdict.retryAfterMs : undefined
  const delayMs = deferred
    ? (retryAfterMs ?? 1_000)
    : backoffDelayMs({
        attempt: attempts,
        random: Math.random(),
        baseMs: ctx.config.DELIVERY_RETRY_BASE_SECONDS * 1000,
        capMs: ctx.config.DELIVERY_RETRY_MAX_SECONDS * 1000,
        retryAfterMs,
      })
  const untilMs = Date.now() + delayMs
  const deferrals = (row.deferrals ?? 0) + (deferred ? 1 : 0)
  const wait = { rateLimited: deferred, deferrals }
  // Held past the point of giving up: the queue message is answered, the object keeps it.
  const owned = row.owned || givingUp
  ctx.store.putInbox({ ...row, owned, attempts, nextAt: untilMs, lastError: error, ...wait })
  return { eventId: row.event.id, untilMs, errorCode, error, ...wait }
}

function nextRow(ctx: ApplyContext): InboxRow | undefined {
  const state = ctx.store.state
  if (state.ticketId !== undefined) return ctx.store.rows.first(false)
  return (
    ctx.store.rows.first(true) ??
    (isAwaitingCreate(state) ? ctx.store.rows.first(false) : undefined)
  )
}

/**
 * Alert events carry the whole state of their group, so only the newest acts: older ones in
 * the inbox are merged into the group's per-alert state and superseded without a call. One
 * that began its steps on a thread without a ticket stays, to settle what it began. Reads ids,
 * then one row at a time.
 */
function supersedeAlerts(
  ctx: ApplyContext,
  seen: Set<string>,
  results: Map<string, EventResult>,
): void {
  const alerts = ctx.store.rows.alertIds()
  const newest = alerts[alerts.length - 1]
  const noTicket = ctx.store.state.ticketId === undefined
  for (const { eventId, owned } of alerts) {
    if (eventId === newest?.eventId || (noTicket && ctx.store.hasSteps(eventId))) continue
    const row = ctx.store.rows.get(eventId)
    if (row?.event.type === 'alert') mergeSupersededAlert(ctx, row.event)
    forgetUncertainStatus(ctx, eventId)
    ctx.store.finish(eventId, 'superseded', seen.has(eventId) || owned)
    results.set(eventId, { kind: 'superseded' })
  }
}
