import type { OutboundAction } from './watch-runner'
import type { WatchTimings } from './watch-state'

/** A delivery's failure as slack-out and webhook-attempt report it, with the steps done. */
export type DeliveryResult =
  | { ok: true }
  | { ok: false; kind: 'rate_limited'; retryAfterMs: number; steps: number; error: string }
  | { ok: false; kind: 'permanent' | 'rejected'; steps: number; error: string }
  /** `retryInMs` overrides the backoff (webhooks wait on Svix's schedule). */
  | { ok: false; kind: 'transient'; steps: number; error: string; retryInMs?: number }

export interface OutboxItem {
  /** Stable: `reply_{id}`, `status_{seq}` or `created`, so no action is queued twice. */
  id: string
  action: OutboundAction
  /** Calls of this delivery that went through (parts posted, reactions set). */
  steps: number
  /** Failed attempts so far (waits for a rate limit are not failures). */
  failures: number
  /** The last attempt's answer was lost (a timeout): look before posting again. */
  uncertain: boolean
}

/** A thread's outbound queue: one item at a time, in order; `paused` after a permanent error. */
export interface OutboxState {
  items: OutboxItem[]
  paused: boolean
  /** When the head may be attempted; null when empty or paused. */
  nextAttemptAt: number | null
}

export type OutboxEffect =
  /** Give up this item: into the dead letters with its reason. */
  | {
      type: 'dead_letter'
      item: OutboxItem
      reason: 'permanent' | 'rejected' | 'max_attempts'
      error: string
    }
  /** Tell the watch (`delivery_failed`): polling on would pile up undeliverable replies. */
  | { type: 'pause_watch' }

/**
 * Answers a thread's queue holds at most. The queue is one stored record, and SQLite refuses a
 * value over 2 MB (`SQLITE_TOOBIG`): 10 replies of at most `MAX_REPLY_CONTENT_CHARS` stay under
 * 1 MB. A full queue is not polled; new replies wait in Udesk until there is room.
 */
export const MAX_WAITING_ANSWERS = 10

/** How many more answers the queue takes now (0: the watch's poll waits). */
export function roomFor(state: OutboxState): number {
  return Math.max(0, MAX_WAITING_ANSWERS - state.items.length)
}

/**
 * When a full queue's watch polls again: a second after the head's next attempt, or one hot
 * interval on while it is paused (its resume brings the poll back to now).
 */
export function pollAfterFull(state: OutboxState, now: number, timings: WatchTimings): number {
  return Math.max(state.nextAttemptAt ?? now + timings.hotEveryMs, now) + 1_000
}

/** Transient failures of one item before it is dead-lettered. */
export const MAX_DELIVERY_FAILURES = 8
const BACKOFF_BASE_MS = 5_000
const BACKOFF_CAP_MS = 10 * 60_000

export const emptyOutbox = (): OutboxState => ({ items: [], paused: false, nextAttemptAt: null })

export function outboxItemId(action: OutboundAction): string {
  if (action.type === 'send_created') return 'created'
  return action.type === 'send_reply' ? `reply_${action.reply.id}` : `status_${action.seq}`
}

/** Queues a poll's actions behind the ones waiting; an action already queued is not added. */
export function enqueue(state: OutboxState, actions: OutboundAction[], now: number): OutboxState {
  const known = new Set(state.items.map((item) => item.id))
  const added = actions
    .map((action) => ({
      id: outboxItemId(action),
      action,
      steps: 0,
      failures: 0,
      uncertain: false,
    }))
    .filter((item) => {
      if (known.has(item.id)) return false
      known.add(item.id)
      return true
    })
  const items = [...state.items, ...added]
  return {
    ...state,
    items,
    nextAttemptAt: schedule(state.paused, items, state.nextAttemptAt ?? now),
  }
}

/**
 * What the head's delivery result means for the queue: done (next one now), wait for Slack's
 * `Retry-After` keeping the order, back off after a transient failure, or give the item up:
 * a refused one alone, a permanent error pausing the queue and the watch until `resume`.
 */
export function afterDelivery(
  state: OutboxState,
  result: DeliveryResult,
  now: number,
): { state: OutboxState; effects: OutboxEffect[] } {
  const [head, ...rest] = state.items
  if (!head) return { state, effects: [] }
  if (result.ok)
    return {
      state: { ...state, items: rest, nextAttemptAt: schedule(false, rest, now) },
      effects: [],
    }
  const item = { ...head, steps: result.steps }
  if (result.kind === 'rate_limited') {
    return {
      state: { ...state, items: [item, ...rest], nextAttemptAt: now + result.retryAfterMs },
      effects: [],
    }
  }
  if (result.kind === 'transient' && item.failures + 1 < MAX_DELIVERY_FAILURES) {
    const failed = { ...item, failures: item.failures + 1, uncertain: result.error === 'timeout' }
    const wait = result.retryInMs ?? Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** item.failures)
    return { state: { ...state, items: [failed, ...rest], nextAttemptAt: now + wait }, effects: [] }
  }
  const reason = result.kind === 'transient' ? 'max_attempts' : result.kind
  const effects: OutboxEffect[] = [{ type: 'dead_letter', item, reason, error: result.error }]
  if (result.kind !== 'permanent') {
    return { state: { ...state, items: rest, nextAttemptAt: schedule(false, rest, now) }, effects }
  }
  effects.push({ type: 'pause_watch' })
  return { state: { items: rest, paused: true, nextAttemptAt: null }, effects }
}

/**
 * The fix is in (its dead letter replayed): the replayed item goes first, from the step it
 * reached, and the queue goes on now.
 */
export function resume(
  state: OutboxState,
  replayed: OutboxItem | undefined,
  now: number,
): OutboxState {
  const rest = state.items.filter((item) => item.id !== replayed?.id)
  const items = replayed ? [{ ...replayed, failures: 0 }, ...rest] : rest
  return { items, paused: false, nextAttemptAt: schedule(false, items, now) }
}

function schedule(paused: boolean, items: OutboxItem[], at: number): number | null {
  return paused || items.length === 0 ? null : at
}
