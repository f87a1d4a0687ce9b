import * as z from '../zod'

/** Udesk's ticket statuses as `status_en` names them (`GET /tickets/detail`). */
export const TicketStatusSchema = z.enum(['open', 'solving', 'resolved', 'closed'])
export type TicketStatus = z.infer<typeof TicketStatusSchema>

/** A reply's place in reading order: `created_at` in ms since the epoch, then the reply id. */
export const ReplyKeySchema = z.object({ at: z.number(), id: z.int() })
export type ReplyKey = z.infer<typeof ReplyKeySchema>

/** What one look at the ticket (`GET /tickets/detail`) tells the watch. */
export const TicketGlanceSchema = z.object({
  status: TicketStatusSchema,
  /** Udesk's `agent_replied_at` as sent (an ISO time with offset), null before any reply. */
  agentRepliedAt: z.nullable(z.string()),
})
export type TicketGlance = z.infer<typeof TicketGlanceSchema>

/**
 * The two-way watch of one thread's ticket, kept by the thread's Durable Object.
 * - `watching` polls at `nextPollAt`; `paused` waits for `resume` (a delivery back to the
 *   customer failed for good: polling on would only pile up more undeliverable replies);
 *   `stopped` ended some time after the ticket was resolved or closed, until new activity.
 * - `seen` is what the last complete poll saw; `pending` a glance whose replies are being read.
 * - `handled` are the replies already dealt with (sent, or skipped as not for the customer),
 *   in reading order and bounded; anything at or below `floor` was handled before it was trimmed.
 */
export const WatchStateSchema = z.object({
  ticketId: z.int().check(z.positive()),
  phase: z.enum(['watching', 'paused', 'stopped']),
  nextPollAt: z.nullable(z.number()),
  lastPollAt: z.nullable(z.number()),
  /** The poll (its alarm time) whose answers are awaited; null between polls. */
  polling: z.nullable(z.number()),
  lastActivityAt: z.number(),
  seen: TicketGlanceSchema,
  pending: z.nullable(TicketGlanceSchema),
  /** Since when the ticket has been resolved or closed, as the polls saw it. */
  endedAt: z.nullable(z.number()),
  handled: z.array(ReplyKeySchema),
  floor: z.nullable(ReplyKeySchema),
  /** Replies the bridge itself wrote on the ticket, not yet seen by a poll. */
  ownReplyIds: z.array(z.int()),
  /** A status the bridge itself is setting, not yet seen by a poll. */
  ownStatus: z.nullable(TicketStatusSchema),
  /** Status changes sent so far: numbers each one, so its outbound id survives retries. */
  statusChanges: z.int().check(z.nonnegative()),
})
export type WatchState = z.infer<typeof WatchStateSchema>

/** How often a watched ticket is polled; every value in milliseconds. */
export interface WatchTimings {
  /** Poll this often while the last activity is younger than `hotForMs`. */
  hotEveryMs: number
  hotForMs: number
  /** Then this often while it is younger than `warmForMs`. */
  warmEveryMs: number
  warmForMs: number
  /** Then this often. */
  coldEveryMs: number
  /** Stop polling this long after the ticket was seen resolved or closed. */
  stopAfterEndedMs: number
  /** Rings and customer messages never bring polls closer together than this. */
  debounceMs: number
  /** The sweep reads its filter this often while a thread is hot, warm interval after. */
  sweepEveryMs: number
}

/**
 * 30 s for five minutes after activity, 3 min for two hours, then 20 min; stop a day after. The
 * sweep (when a filter is set) every 10 s while any thread is hot.
 */
export const DEFAULT_WATCH_TIMINGS: WatchTimings = {
  hotEveryMs: 30_000,
  hotForMs: 5 * 60_000,
  warmEveryMs: 3 * 60_000,
  warmForMs: 2 * 3600_000,
  coldEveryMs: 20 * 60_000,
  stopAfterEndedMs: 24 * 3600_000,
  debounceMs: 5_000,
  sweepEveryMs: 10_000,
}

/** Replies remembered by id; older ones are covered by `floor`. */
export const MAX_HANDLED_REPLIES = 200
/** Own reply ids remembered until a poll sees them. */
export const MAX_OWN_REPLY_IDS = 50

/**
 * A new watch for a ticket the bridge just created: open, no agent reply yet, first poll one
 * hot interval away, so every agent reply that follows is new.
 */
export function startWatch(ticketId: number, now: number, timings: WatchTimings): WatchState {
  return {
    ticketId,
    phase: 'watching',
    nextPollAt: now + timings.hotEveryMs,
    lastPollAt: null,
    polling: null,
    lastActivityAt: now,
    seen: { status: 'open', agentRepliedAt: null },
    pending: null,
    endedAt: null,
    handled: [],
    floor: null,
    ownReplyIds: [],
    ownStatus: null,
    statusChanges: 0,
  }
}

/** The poll interval for a ticket whose last activity was `quietMs` ago. */
export function pollIntervalMs(timings: WatchTimings, quietMs: number): number {
  if (quietMs < timings.hotForMs) return timings.hotEveryMs
  if (quietMs < timings.warmForMs) return timings.warmEveryMs
  return timings.coldEveryMs
}

export function isEnded(status: TicketStatus): boolean {
  return status === 'resolved' || status === 'closed'
}

/** Orders replies by time, then id: Udesk does not document the order it lists them in. */
export function compareReplyKeys(a: ReplyKey, b: ReplyKey): number {
  return a.at - b.at || a.id - b.id
}
