import type { TicketEvent } from '../ticket-event'
import { applyAlert, forgetUncertainStatus, mergeSupersededAlert } from './apply-alert'
import { applyTicketEvent } from './apply-event'
import { backoffDelayMs, classifyFailure, type FailureVerdict } from './retry-policy'
import type { ApplyContext } from './steps'
import type { InboxRow } from './thread-store'

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
 * by however often other messages of the thread come by. An event Udesk refuses, or that
 * failed DELIVERY_MAX_ATTEMPTS times, is marked failed in the inbox (the caller dead-letters
 * it) and the rest go on. `seen` holds the events whose queue message this call answers.
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
      if (row.event.type === 'alert') await applyAlert(ctx, row.event)
      else await applyTicketEvent(ctx, row.event)
      ctx.store.finish(id, 'applied', seen.has(id) || row.owned)
      results.set(id, { kind: 'applied' })
    } catch (err) {
      const blocked = recordFailure(ctx, row, classifyFailure(err))
      if (blocked) return { results, blockedBy: blocked }
    }
  }
}

/** Stores the failure on the event's row; returns what the thread now waits for, if anything. */
function recordFailure(
  ctx: ApplyContext,
  row: InboxRow,
  verdict: FailureVerdict,
): BlockedBy | undefined {
  const { errorCode, error } = verdict
  const attempts = row.attempts + (verdict.kind === 'retry' && verdict.deferred ? 0 : 1)
  if (verdict.kind === 'permanent' || attempts >= ctx.config.DELIVERY_MAX_ATTEMPTS) {
    const reason = verdict.kind === 'permanent' ? verdict.reason : 'max_attempts'
    ctx.store.putInbox({ ...row, attempts, lastError: error, failed: { reason, errorCode } })
    return undefined
  }
  const delayMs = verdict.deferred
    ? (verdict.retryAfterMs ?? 1_000)
    : backoffDelayMs({
        attempt: attempts,
        random: Math.random(),
        baseMs: ctx.config.DELIVERY_RETRY_BASE_SECONDS * 1000,
        capMs: ctx.config.DELIVERY_RETRY_MAX_SECONDS * 1000,
        retryAfterMs: verdict.retryAfterMs,
      })
  const untilMs = Date.now() + delayMs
  const rateLimited = verdict.deferred
  const deferrals = (row.deferrals ?? 0) + (rateLimited ? 1 : 0)
  const wait = { rateLimited, deferrals }
  ctx.store.putInbox({ ...row, attempts, nextAt: untilMs, lastError: error, ...wait })
  return { eventId: row.event.id, untilMs, errorCode, error, ...wait }
}

function nextRow(ctx: ApplyContext): InboxRow | undefined {
  const rows = ctx.store.inbox().filter((r) => !r.failed)
  if (ctx.store.state.ticketId !== undefined) return rows[0]
  const openers = rows.filter((r) => isOpener(r.event))
  // An opener whose create may already have reached Udesk goes first: it must be settled
  // (found or repeated) before any other event could open a second ticket.
  return openers.find((r) => ctx.store.hasSteps(r.event.id)) ?? openers[0]
}

/**
 * Alert events carry the whole state of their group, so only the newest acts: older ones in
 * the inbox are merged into the group's per-alert state and superseded without a call.
 */
function supersedeAlerts(
  ctx: ApplyContext,
  seen: Set<string>,
  results: Map<string, EventResult>,
): void {
  const alerts = ctx.store.inbox().filter((r) => r.event.type === 'alert' && !r.failed)
  const newest = alerts[alerts.length - 1]
  const noTicket = ctx.store.state.ticketId === undefined
  for (const row of alerts) {
    if (row.event.type !== 'alert') continue
    if (row === newest || (noTicket && ctx.store.hasSteps(row.event.id))) continue
    mergeSupersededAlert(ctx, row.event)
    forgetUncertainStatus(ctx, row.event.id)
    ctx.store.finish(row.event.id, 'superseded', seen.has(row.event.id) || row.owned)
    results.set(row.event.id, { kind: 'superseded' })
  }
}
