import { splitMrkdwn, type PartLimits } from './mrkdwn-parts'
import type { SlackClient, SlackResult } from './slack-out'
import type { SlackTs } from './slack-schemas'
import { escapeMrkdwn, textToMrkdwn, udeskHtmlToMrkdwn, type Mrkdwn } from './udesk-html-to-mrkdwn'
import type { OutboundAction } from './watch-runner'
import type { AgentReply } from './watch-replies'
import type { TicketStatus } from './watch-state'

/** The customer's thread: its channel and root message (the customer's first message). */
export interface SlackThread {
  channel: string
  threadTs: SlackTs
}

export interface SlackDeliveryOptions {
  /** Post under the agent's name (needs `chat:write.customize`). */
  agentNames: boolean
  /** The reaction on the customer's message for each status; null: none. */
  statusReactions: Record<TicketStatus, string | null>
  /** Also post a one-line notice in the thread when the status changes. */
  statusNotices: boolean
  limits?: PartLimits
}

/** Eyes while an agent works on it, a check mark once resolved or closed, nothing when open. */
export const DEFAULT_STATUS_REACTIONS: Record<TicketStatus, string | null> = {
  open: null,
  solving: 'eyes',
  resolved: 'white_check_mark',
  closed: 'white_check_mark',
}

/**
 * How far a delivery got: `steps` counts the Slack calls that went through, so a delivery
 * retried after a 429 or a lost answer goes on with the next one and keeps the order.
 */
export type SlackDelivery =
  { ok: true; steps: number } | (Exclude<SlackResult<never>, { ok: true }> & { steps: number })

type Step = () => Promise<SlackResult<unknown>>

/**
 * Delivers one outbound action into the customer's Slack thread, starting at step `from`:
 * a reply as one message per part (Udesk's HTML turned into mrkdwn, attachments as links),
 * a status change as reactions on the customer's message (the old one removed, the new one
 * added) and, when configured, a notice.
 */
export async function deliverToSlack(
  action: OutboundAction,
  thread: SlackThread,
  slack: SlackClient,
  options: SlackDeliveryOptions,
  from = 0,
): Promise<SlackDelivery> {
  const steps =
    action.type === 'send_reply'
      ? replySteps(action.reply, thread, slack, options)
      : statusSteps(action.from, action.to, thread, slack, options)
  for (let i = from; i < steps.length; i++) {
    const result = await steps[i]!()
    if (!result.ok) return { ...result, steps: i }
  }
  return { ok: true, steps: steps.length }
}

/** The reply as mrkdwn, its attachments listed as links after the text. */
export function replyMrkdwn(reply: AgentReply): Mrkdwn {
  const text =
    reply.contentFormat === 'html' ? udeskHtmlToMrkdwn(reply.content) : textToMrkdwn(reply.content)
  const files = reply.attachments
    .filter((file) => /^https?:\/\//i.test(file.url))
    .map(
      (file) =>
        `• <${escapeMrkdwn(file.url.replace(/[<>|]/g, encodeURIComponent))}|${escapeMrkdwn(file.name)}>`,
    )
  return (files.length === 0 ? text : `${text}\n\n${files.join('\n')}`) as Mrkdwn
}

function replySteps(
  reply: AgentReply,
  thread: SlackThread,
  slack: SlackClient,
  options: SlackDeliveryOptions,
): Step[] {
  const { parts } = splitMrkdwn(replyMrkdwn(reply), options.limits)
  const username = options.agentNames && reply.authorName ? reply.authorName : undefined
  return parts.map((text) => () => slack.postMessage({ ...thread, text, username }))
}

function statusSteps(
  from: TicketStatus,
  to: TicketStatus,
  thread: SlackThread,
  slack: SlackClient,
  options: SlackDeliveryOptions,
): Step[] {
  const root = { channel: thread.channel, ts: thread.threadTs }
  const before = options.statusReactions[from]
  const after = options.statusReactions[to]
  const steps: Step[] = []
  if (before && before !== after) steps.push(() => slack.removeReaction({ ...root, name: before }))
  if (after && after !== before) steps.push(() => slack.addReaction({ ...root, name: after }))
  if (options.statusNotices) {
    const text = textToMrkdwn(`Ticket status: ${to}`)
    steps.push(() => slack.postMessage({ ...thread, text }))
  }
  return steps
}
