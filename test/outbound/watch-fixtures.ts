import type { Reply } from '../../src/udesk/schemas'
import type { WatchAction, WatchInput } from '../../src/outbound/watch-input'
import { decideWatch } from '../../src/outbound/watch-schedule'
import {
  DEFAULT_WATCH_TIMINGS,
  startWatch,
  type TicketStatus,
  type WatchState,
} from '../../src/outbound/watch-state'

export const T0 = Date.parse('2026-11-30T10:00:00.000Z')
export const SEC = 1000
export const MIN = 60 * SEC
export const HOUR = 60 * MIN
export const TIMINGS = DEFAULT_WATCH_TIMINGS
export const TICKET = 848

/** Udesk's `created_at`: Beijing time with its offset, as `GET /tickets/:id/replies` sends it. */
export function udeskTime(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00')
}

/** A reply shaped as the reference's `GET /tickets/:id/replies` example. */
export function reply(
  id: number,
  atMs: number,
  kind: 'public' | 'internal' | 'customer' = 'public',
  content = `<p>Reply ${id}</p>`,
): Reply {
  const customer = kind === 'customer'
  return {
    id,
    content,
    content_format: customer ? 'text' : 'html',
    created_at: udeskTime(atMs),
    function_type: kind === 'internal' ? 'internal' : 'external',
    cc: '',
    author: customer
      ? { id: 7, user_type: 'customer', email: 'ana@example.com', avatar: '', nick_name: 'Ana' }
      : { id: 2, user_type: 'agent', email: 'tom@example.com', avatar: '', nick_name: 'Tom' },
    attachments: [],
  }
}

/** A watch driven input by input, as the thread's object would drive it. */
export class Watch {
  state: WatchState
  now: number
  actions: WatchAction[] = []

  constructor(now = T0, state?: WatchState) {
    this.now = now
    this.state = state ?? startWatch(TICKET, now, TIMINGS)
  }

  at(ms: number): this {
    this.now = ms
    return this
  }

  send(input: WatchInput): WatchAction[] {
    const decision = decideWatch(this.state, input, this.now, TIMINGS)
    this.state = decision.state
    this.actions.push(...decision.actions)
    return decision.actions
  }

  /** The alarm rings at `nextPollAt`; answers the detail read it asks for, if any. */
  poll(status: TicketStatus, agentRepliedAt: string | null, replies: Reply[] = [], room?: number) {
    if (this.state.nextPollAt !== null) this.now = Math.max(this.now, this.state.nextPollAt)
    const [read] = this.send({ type: 'alarm' })
    if (read?.type !== 'read_detail') return []
    const next = this.send({ type: 'detail', poll: read.poll, status, agentRepliedAt })
    const [readReplies] = next
    if (readReplies?.type !== 'read_replies') return next
    return this.send({ type: 'replies', poll: readReplies.poll, replies, room })
  }
}

export function sentReplyIds(actions: WatchAction[]): number[] {
  return actions.flatMap((a) => (a.type === 'send_reply' ? [a.reply.id] : []))
}

export function sentStatuses(actions: WatchAction[]) {
  return actions.flatMap((a) => (a.type === 'send_status' ? [`${a.from}->${a.to}`] : []))
}
