import type { Reply, Ticket } from '../udesk/schemas'
import { UdeskError } from '../udesk/errors'
import { UDESK_STATUSES } from '../udesk/status'
import type { WatchAction, WatchInput } from './watch-input'
import { decideWatch } from './watch-schedule'
import {
  pollIntervalMs,
  TicketStatusSchema,
  type TicketGlance,
  type TicketStatus,
  type WatchState,
  type WatchTimings,
} from './watch-state'

/** Udesk's answer to an unknown ticket id (`Couldn't find Ticket with id=...`). */
const NOT_FOUND_CODE = 2005

/** The two Udesk reads a poll makes; a client (rate-limited by the caller) provides them. */
export interface WatchReads {
  getTicket(ref: { id: number }): Promise<Ticket>
  listReplies(ticketId: number, query?: { perPage?: number }): AsyncIterable<Reply>
  /**
   * The ticket's glance from the sweep's listing when it is at most `maxAgeMs` old, in place of
   * `getTicket` (no Udesk call); undefined when there is no sweep or it has not listed the
   * ticket lately.
   */
  sweptGlance?(ticketId: number, maxAgeMs: number): Promise<TicketGlance | undefined>
}

/** What a poll found for the customer, in the order it must reach them. */
export type OutboundAction = Extract<
  WatchAction,
  { type: 'send_reply' | 'send_status' | 'send_created' }
>

export interface PollResult {
  state: WatchState
  outbound: OutboundAction[]
}

/**
 * Carries out one due poll of a watch: rings its alarm and answers each read it asks for, until
 * the decision asks for nothing more. A failed read becomes `poll_failed` (at Udesk's
 * `Retry-After` when it sent one), an unknown ticket `ticket_gone`. The outbound actions are
 * returned, not sent: the caller records them before delivering them in order; at most `room`
 * replies among them (the rest wait for a later poll).
 */
export async function runWatchPoll(
  initial: WatchState,
  reads: WatchReads,
  now: () => number,
  timings: WatchTimings,
  room = Infinity,
): Promise<PollResult> {
  let state = initial
  const outbound: OutboundAction[] = []
  const queue: WatchInput[] = [{ type: 'alarm' }]
  for (let input = queue.shift(); input; input = queue.shift()) {
    const decision = decideWatch(state, input, now(), timings)
    state = decision.state
    for (const action of decision.actions) {
      if (action.type === 'read_detail' || action.type === 'read_replies') {
        queue.push(await read(action, state, reads, now, timings, room))
      } else outbound.push(action)
    }
  }
  return { state, outbound }
}

async function read(
  action: Extract<WatchAction, { type: 'read_detail' | 'read_replies' }>,
  state: WatchState,
  reads: WatchReads,
  now: () => number,
  timings: WatchTimings,
  room: number,
): Promise<WatchInput> {
  try {
    if (action.type === 'read_detail') {
      // As fresh as this poll's own read would be: the listing is younger than its interval.
      const maxAgeMs = pollIntervalMs(timings, now() - state.lastActivityAt)
      const swept = await reads.sweptGlance?.(action.ticketId, maxAgeMs)
      if (swept) return { type: 'detail', poll: action.poll, ...swept }
      const ticket = await reads.getTicket({ id: action.ticketId })
      const status = ticketStatusOf(ticket) ?? state.seen.status
      const agentRepliedAt = ticket.agent_replied_at ?? null
      return { type: 'detail', poll: action.poll, status, agentRepliedAt }
    }
    const replies: Reply[] = []
    for await (const reply of reads.listReplies(action.ticketId, { perPage: 100 })) {
      replies.push(reply)
    }
    return { type: 'replies', poll: action.poll, replies, room }
  } catch (error) {
    if (!(error instanceof UdeskError)) throw error
    if (error.udeskCode === NOT_FOUND_CODE) return { type: 'ticket_gone' }
    const retryAt = error.retryAfterMs === undefined ? undefined : now() + error.retryAfterMs
    return { type: 'poll_failed', ...(retryAt === undefined ? {} : { retryAt }) }
  }
}

/**
 * The ticket's status from `status_en`, else from the Chinese `status` name; undefined for a
 * status the bridge does not know (then the watch keeps the last one it saw).
 */
export function ticketStatusOf(
  ticket: Pick<Ticket, 'status' | 'status_en'>,
): TicketStatus | undefined {
  const english = TicketStatusSchema.safeParse(ticket.status_en)
  if (english.success) return english.data
  const byName = Object.entries(UDESK_STATUSES).find(([, s]) => s.name === ticket.status)
  return byName ? (byName[0] as TicketStatus) : undefined
}
