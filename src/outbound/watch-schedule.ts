import type { Reply } from '../udesk/schemas'
import type { WatchAction, WatchInput } from './watch-input'
import { selectNewReplies } from './watch-replies'
import {
  isEnded,
  MAX_OWN_REPLY_IDS,
  pollIntervalMs,
  type TicketGlance,
  type WatchState,
  type WatchTimings,
} from './watch-state'

export interface WatchDecision {
  state: WatchState
  /** To carry out in order; the thread's alarm is then set to `state.nextPollAt` (or cleared). */
  actions: WatchAction[]
}

/**
 * The two-way watch of one ticket, decided without I/O: `(state, input, now) -> { state,
 * actions }`. Polls read the cheap detail first and the replies only when `agent_replied_at`
 * moved; a status change found together with replies is sent after them. Only public agent
 * replies the bridge did not write, and status changes it did not make, are sent.
 */
export function decideWatch(
  state: WatchState,
  input: WatchInput,
  now: number,
  timings: WatchTimings,
): WatchDecision {
  switch (input.type) {
    case 'alarm':
      return onAlarm(state, now, timings)
    case 'customer_message':
      return { state: hurry(state, now, now + timings.hotEveryMs, timings), actions: [] }
    case 'doorbell':
      return { state: hurry(state, now, now, timings), actions: [] }
    case 'ticket_changed':
      // Not debounced: the sweep rings a ticket at most once per listing, and only on a change.
      return { state: hurry(state, now, now, { ...timings, debounceMs: 0 }), actions: [] }
    case 'detail': {
      if (!isCurrent(state, input.poll)) return { state, actions: [] }
      const glance = { status: input.status, agentRepliedAt: input.agentRepliedAt }
      return onDetail(state, glance, now, timings)
    }
    case 'replies':
      if (!isCurrent(state, input.poll) || !state.pending) return { state, actions: [] }
      return onReplies(state, state.pending, input, now, timings)
    case 'poll_failed': {
      const retryAt = input.retryAt ?? now + interval(state, now, timings)
      const nextPollAt = state.phase === 'watching' ? Math.max(now, retryAt) : state.nextPollAt
      return { state: { ...state, polling: null, pending: null, nextPollAt }, actions: [] }
    }
    case 'ticket_gone':
      return { state: { ...stopPolling(state), phase: 'stopped' }, actions: [] }
    case 'bridge_reply': {
      const ownReplyIds = [...state.ownReplyIds, input.replyId].slice(-MAX_OWN_REPLY_IDS)
      return { state: { ...state, ownReplyIds }, actions: [] }
    }
    case 'bridge_status': {
      const ownStatus = input.status === state.seen.status ? null : input.status
      return { state: { ...state, ownStatus }, actions: [] }
    }
    case 'delivery_failed':
      return { state: { ...stopPolling(state), phase: 'paused' }, actions: [] }
    case 'resume':
      if (state.phase !== 'paused') return { state, actions: [] }
      return { state: { ...state, phase: 'watching', nextPollAt: now }, actions: [] }
  }
}

function stopPolling(state: WatchState): WatchState {
  return { ...state, nextPollAt: null, polling: null, pending: null }
}

function isCurrent(state: WatchState, poll: number): boolean {
  return state.phase === 'watching' && state.polling === poll
}

function interval(state: WatchState, now: number, timings: WatchTimings): number {
  return pollIntervalMs(timings, now - state.lastActivityAt)
}

/**
 * A due alarm reads the detail and sets a fallback poll one interval on, so a read that never
 * answers (the object was evicted) is retried rather than stranding the watch.
 */
function onAlarm(state: WatchState, now: number, timings: WatchTimings): WatchDecision {
  if (state.phase !== 'watching' || state.nextPollAt === null || state.nextPollAt > now) {
    return { state, actions: [] }
  }
  const nextPollAt = now + interval(state, now, timings)
  return {
    state: { ...state, lastPollAt: now, polling: now, nextPollAt, pending: null },
    actions: [{ type: 'read_detail', ticketId: state.ticketId, poll: now }],
  }
}

/**
 * Activity brings the next poll to `wantedAt` at the latest, never sooner than `debounceMs`
 * after the last poll. A stopped watch comes back (its end is measured anew); a paused one
 * only notes the activity, since its deliveries are failing.
 */
function hurry(state: WatchState, now: number, wantedAt: number, timings: WatchTimings) {
  if (state.phase === 'paused') return { ...state, lastActivityAt: now }
  const earliest = state.lastPollAt === null ? now : state.lastPollAt + timings.debounceMs
  const at = Math.max(wantedAt, earliest)
  const nextPollAt = state.nextPollAt === null ? at : Math.min(state.nextPollAt, at)
  const endedAt = state.phase === 'stopped' ? null : state.endedAt
  return { ...state, phase: 'watching' as const, nextPollAt, lastActivityAt: now, endedAt }
}

function onDetail(
  state: WatchState,
  glance: TicketGlance,
  now: number,
  timings: WatchTimings,
): WatchDecision {
  if (glance.agentRepliedAt !== state.seen.agentRepliedAt) {
    const poll = state.polling ?? now
    return {
      state: { ...state, pending: glance },
      actions: [{ type: 'read_replies', ticketId: state.ticketId, poll }],
    }
  }
  return settle(state, glance, [], now, timings)
}

function onReplies(
  state: WatchState,
  glance: TicketGlance,
  input: { replies: Reply[]; room?: number },
  now: number,
  timings: WatchTimings,
): WatchDecision {
  const selection = selectNewReplies(state, input.replies, now, input.room)
  const { send, cut, ...memory } = selection
  const actions: WatchAction[] = send.map((reply) => ({
    type: 'send_reply',
    ticketId: state.ticketId,
    reply,
  }))
  if (!cut) return settle({ ...state, ...memory }, glance, actions, now, timings)
  // Replies were left for later: keep the old agent_replied_at, so the next poll reads them,
  // and poll again once the queue has had time to move (a full one waits for its head).
  const seen = { ...glance, agentRepliedAt: state.seen.agentRepliedAt }
  const decision = settle({ ...state, ...memory }, seen, actions, now, timings)
  const soon = now + timings.debounceMs
  const { nextPollAt } = decision.state
  if (nextPollAt !== null && nextPollAt <= soon) return decision
  // Not stopped either, even long after the ticket ended: those replies are still to go out.
  return { ...decision, state: { ...decision.state, phase: 'watching', nextPollAt: soon } }
}

/**
 * A complete poll: send the status change the bridge did not make, note activity, and schedule
 * the next poll, or stop when the ticket has been resolved or closed for `stopAfterEndedMs`.
 */
function settle(
  state: WatchState,
  glance: TicketGlance,
  actions: WatchAction[],
  now: number,
  timings: WatchTimings,
): WatchDecision {
  const changed = glance.status !== state.seen.status
  const own = changed && glance.status === state.ownStatus
  const out = [...actions]
  let { statusChanges } = state
  if (changed && !own) {
    statusChanges += 1
    const { ticketId } = state
    out.push({
      type: 'send_status',
      ticketId,
      from: state.seen.status,
      to: glance.status,
      seq: statusChanges,
    })
  }
  const active = out.length > 0 || changed
  const lastActivityAt = active ? now : state.lastActivityAt
  const endedAt = isEnded(glance.status) ? (state.endedAt ?? now) : null
  const next: WatchState = {
    ...state,
    seen: glance,
    pending: null,
    polling: null,
    ownStatus: changed ? null : state.ownStatus,
    statusChanges,
    lastActivityAt,
    endedAt,
    // A ring or a customer message during the poll may have asked for an earlier one.
    nextPollAt: Math.min(
      state.nextPollAt ?? Infinity,
      now + pollIntervalMs(timings, now - lastActivityAt),
    ),
  }
  if (endedAt !== null && now >= endedAt + timings.stopAfterEndedMs) {
    return { state: { ...next, phase: 'stopped', nextPollAt: null }, actions: out }
  }
  return { state: next, actions: out }
}
