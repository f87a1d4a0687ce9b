import type { Reply } from '../udesk/schemas'
import type { AgentReply } from './watch-replies'
import type { TicketGlance, TicketStatus } from './watch-state'

/** What happened to a watched thread. */
export type WatchInput =
  /** The thread's alarm rang. */
  | { type: 'alarm' }
  /** The bridge delivered a customer message on the thread: it is hot again. */
  | { type: 'customer_message' }
  /** A Udesk trigger rang `POST /udesk/hook/:token` for this ticket: poll now (debounced). */
  | { type: 'doorbell' }
  /** The sweep listed the ticket changed, or gone from its filter: poll now. */
  | { type: 'ticket_changed' }
  /** The answer of `GET /tickets/detail` to the `read_detail` of poll `poll`. */
  | ({ type: 'detail'; poll: number } & TicketGlance)
  /**
   * The full listing of `GET /tickets/:id/replies` (all pages) for poll `poll`; `room`: how
   * many replies the thread's queue can take now (unbounded when absent).
   */
  | { type: 'replies'; poll: number; replies: Reply[]; room?: number }
  /** A read failed or the budget had no room: try again at `retryAt`, else one interval on. */
  | { type: 'poll_failed'; retryAt?: number }
  /** The ticket is gone (deleted in Udesk): nothing more to watch. */
  | { type: 'ticket_gone' }
  /** The bridge wrote this reply itself (record it after the write answers). */
  | { type: 'bridge_reply'; replyId: number }
  /** The bridge is setting this status itself (record it before the write). */
  | { type: 'bridge_status'; status: TicketStatus }
  /** Sending back to the customer failed for good (e.g. `not_in_channel`). */
  | { type: 'delivery_failed' }
  /** The failure was fixed (its dead letter replayed): watch again, now. */
  | { type: 'resume' }

/** Reads carry their poll (its alarm time), which their answer must name: a late answer to an
 * earlier poll is then ignored instead of turning the watch back. */
export type WatchAction =
  | { type: 'read_detail'; ticketId: number; poll: number }
  | { type: 'read_replies'; ticketId: number; poll: number }
  | { type: 'send_reply'; ticketId: number; reply: AgentReply }
  /** `seq` numbers the ticket's status changes: the outbound message's stable id. */
  | { type: 'send_status'; ticketId: number; from: TicketStatus; to: TicketStatus; seq: number }
  /** The acknowledgement of a ticket the bridge opened: queued when the watch starts. */
  | { type: 'send_created'; ticketId: number; ticketNumber: string }
