import type { PartLimits } from './mrkdwn-parts'
import type { TicketStatus } from './watch-state'

/* What Slack deliveries may be told by the two-way settings (src/two-way-config.ts). */

export interface SlackDeliveryOptions {
  /** Post under the agent's name (needs `chat:write.customize`). */
  agentNames: boolean
  /** The reaction on the customer's message for each status; null: none. */
  statusReactions: Record<TicketStatus, string | null>
  /** Also post a one-line notice in the thread when the status changes. */
  statusNotices: boolean
  /** How a ticket's creation shows in the thread: a note, a reaction, or not at all. */
  acknowledgement?: 'message' | 'reaction' | 'none'
  limits?: PartLimits
}

/** The reaction an acknowledgement by `reaction` adds to the customer's message. */
export const ACKNOWLEDGEMENT_REACTION = 'ticket'

/** Eyes while an agent works on it, a check mark once resolved or closed, nothing when open. */
export const DEFAULT_STATUS_REACTIONS: Record<TicketStatus, string | null> = {
  open: null,
  solving: 'eyes',
  resolved: 'white_check_mark',
  closed: 'white_check_mark',
}
