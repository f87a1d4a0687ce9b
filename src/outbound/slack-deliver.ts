import { splitMrkdwn } from './mrkdwn-parts'
import { outboxItemId } from './outbox'
import type { SlackClient, SlackResult } from './slack-out'
import type { SlackTs } from './slack-schemas'
import { escapeMrkdwn, textToMrkdwn, udeskHtmlToMrkdwn, type Mrkdwn } from './udesk-html-to-mrkdwn'
import type { OutboundAction } from './watch-runner'
import type { AgentReply } from './watch-replies'
import type { TicketStatus } from './watch-state'
import {
  ACKNOWLEDGEMENT_REACTION,
  DEFAULT_STATUS_REACTIONS,
  type SlackDeliveryOptions,
} from './slack-options'

export { ACKNOWLEDGEMENT_REACTION, DEFAULT_STATUS_REACTIONS, type SlackDeliveryOptions }

/** The customer's thread: its channel and root message (the customer's first message). */
export interface SlackThread {
  channel: string
  threadTs: SlackTs
}

/**
 * How far a delivery got: `steps` counts the Slack calls that went through, so a delivery
 * retried after a 429 or a lost answer goes on with the next one and keeps the order.
 */
export type SlackDelivery =
  { ok: true; steps: number } | (Exclude<SlackResult<never>, { ok: true }> & { steps: number })

/** A call of a delivery; a post says which part it is, so a lost answer can be looked up. */
interface Step {
  call: () => Promise<SlackResult<unknown>>
  post?: { item: string; part: number }
}

/** Marks the bridge's posts (Slack message metadata), to find one whose answer was lost. */
export const POST_EVENT_TYPE = 'udesk_bridge_post'
/** Pages of the thread read to find such a post before posting again. */
const MAX_LOOKUP_PAGES = 5

/**
 * Delivers one outbound action into the customer's Slack thread, starting at step `from`:
 * a reply as one message per part (Udesk's HTML turned into mrkdwn, attachments as links),
 * a status change as reactions on the customer's message (the old one removed, the new one
 * added) and, when configured, a notice. With `uncertain` (the last attempt's answer was
 * lost) a post first looks for itself in the thread (`conversations.replies`, by its message
 * metadata) and counts as done when found; without the history scope it posts again.
 */
export async function deliverToSlack(
  action: OutboundAction,
  thread: SlackThread,
  slack: SlackClient,
  options: SlackDeliveryOptions,
  progress: { from?: number; uncertain?: boolean } = {},
): Promise<SlackDelivery> {
  const item = outboxItemId(action)
  const steps =
    action.type === 'send_reply'
      ? await replySteps(item, action.reply, thread, slack, options)
      : action.type === 'send_created'
        ? createdSteps(item, action.ticketNumber, thread, slack, options)
        : statusSteps(item, action.from, action.to, thread, slack, options)
  const from = progress.from ?? 0
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!
    const lookup = i === from && progress.uncertain && step.post
    const found: SlackResult<boolean> = lookup
      ? await findPost(slack, thread, step.post!)
      : { ok: true, value: false }
    if (!found.ok && found.kind !== 'permanent') return { ...found, steps: i }
    if (found.ok && found.value) continue
    const result = await step.call()
    if (!result.ok) return { ...result, steps: i }
  }
  return { ok: true, steps: steps.length }
}

/** Whether the thread holds the bridge's post of this item's part. */
async function findPost(
  slack: SlackClient,
  thread: SlackThread,
  post: { item: string; part: number },
): Promise<SlackResult<boolean>> {
  let cursor: string | undefined
  for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
    const { channel, threadTs: ts } = thread
    const answer = await slack.conversationReplies({ channel, ts, limit: 200, cursor })
    if (!answer.ok) return answer
    const found = answer.value.messages.some(
      (m) =>
        m.metadata?.event_type === POST_EVENT_TYPE &&
        m.metadata.event_payload.item === post.item &&
        m.metadata.event_payload.part === post.part,
    )
    cursor = answer.value.response_metadata?.next_cursor
    if (found || !cursor) return { ok: true, value: found }
  }
  return { ok: true, value: false }
}

/**
 * The reply as mrkdwn, its attachments listed as links after the text. Async because
 * `udeskHtmlToMrkdwn` parses with the runtime's streaming HTMLRewriter.
 */
export async function replyMrkdwn(reply: AgentReply): Promise<Mrkdwn> {
  const text =
    reply.contentFormat === 'html'
      ? await udeskHtmlToMrkdwn(reply.content)
      : textToMrkdwn(reply.content)
  const files = reply.attachments
    .filter((file) => /^https?:\/\//i.test(file.url))
    .map(
      (file) =>
        `• <${escapeMrkdwn(file.url.replace(/[<>|]/g, encodeURIComponent))}|${escapeMrkdwn(file.name)}>`,
    )
  return (files.length === 0 ? text : `${text}\n\n${files.join('\n')}`) as Mrkdwn
}

async function replySteps(
  item: string,
  reply: AgentReply,
  thread: SlackThread,
  slack: SlackClient,
  options: SlackDeliveryOptions,
): Promise<Step[]> {
  const { parts } = splitMrkdwn(await replyMrkdwn(reply), options.limits)
  const username = options.agentNames && reply.authorName ? reply.authorName : undefined
  return parts.map((text, part) => postStep(slack, thread, text, { item, part }, username))
}

function postStep(
  slack: SlackClient,
  thread: SlackThread,
  text: Mrkdwn,
  post: { item: string; part: number },
  username?: string,
): Step {
  const metadata = { event_type: POST_EVENT_TYPE, event_payload: post }
  return { post, call: () => slack.postMessage({ ...thread, text, username, metadata }) }
}

/** `Ticket #848 opened` in the thread, or a reaction on the customer's message, or nothing. */
function createdSteps(
  item: string,
  ticketNumber: string,
  thread: SlackThread,
  slack: SlackClient,
  options: SlackDeliveryOptions,
): Step[] {
  if (options.acknowledgement === 'none') return []
  if (options.acknowledgement === 'reaction') {
    const root = { channel: thread.channel, ts: thread.threadTs, name: ACKNOWLEDGEMENT_REACTION }
    return [{ call: () => slack.addReaction(root) }]
  }
  const note = textToMrkdwn(`Ticket #${ticketNumber} opened`)
  return [postStep(slack, thread, note, { item, part: 0 })]
}

function statusSteps(
  item: string,
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
  if (before && before !== after) {
    steps.push({ call: () => slack.removeReaction({ ...root, name: before }) })
  }
  if (after && after !== before) {
    steps.push({ call: () => slack.addReaction({ ...root, name: after }) })
  }
  if (options.statusNotices) {
    const notice = textToMrkdwn(`Ticket status: ${to}`)
    steps.push(postStep(slack, thread, notice, { item, part: 0 }))
  }
  return steps
}
