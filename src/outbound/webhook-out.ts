import { decodeSecret, WEBHOOK_ID_HEADER } from '../signatures/standard-webhooks'
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../signatures/standard-webhooks'
import { importHmacKey, toBase64, utf8 } from '../signatures/encoding'
import type { AgentReply } from './watch-replies'
import type { OutboundAction } from './watch-runner'
import type { TicketStatus } from './watch-state'

export type OutboundEventType = 'ticket.created' | 'ticket.replied' | 'ticket.status_changed'

/**
 * One message for a webhook source's reply URL, built once and kept: its id and body stay the
 * same on every attempt (only the timestamp and signature are made anew), so the receiver can
 * drop a repeat by `webhook-id`.
 */
export interface OutboundMessage {
  id: string
  type: OutboundEventType
  /** The JSON body, exactly as signed and sent. */
  body: string
}

/** What every message names: the sender's own `thread` and the ticket. */
export interface TicketRef {
  thread: string
  ticketId: number
}

/**
 * Standard Webhooks' recommended body: `{ type, timestamp, data }` (standardwebhooks.com,
 * "Payload structure"); `timestamp` is when the event happened, not when it was sent.
 */
function message(id: string, type: OutboundEventType, at: Date, data: object): OutboundMessage {
  return { id, type, body: JSON.stringify({ type, timestamp: at.toISOString(), data }) }
}

/** `webhook-id`s come from Udesk's ids, so a repeated poll or a retry carries the same one. */
const idOf = (ticketId: number, part: string) => `udesk_ticket_${ticketId}_${part}`

export function ticketCreatedMessage(
  ref: TicketRef & { ticketNumber: string },
  at: Date,
): OutboundMessage {
  return message(idOf(ref.ticketId, 'created'), 'ticket.created', at, {
    thread: ref.thread,
    ticket: { id: ref.ticketId, number: ref.ticketNumber },
  })
}

/** `reply.content` is Udesk's HTML (`content_format` says when it is text). */
export function ticketRepliedMessage(ref: TicketRef, reply: AgentReply, at: Date): OutboundMessage {
  // A reply known by a stand-in hash (no id from Udesk) has a negative id: `h` keeps it apart.
  const replyPart = reply.id >= 0 ? `reply_${reply.id}` : `reply_h${-reply.id}`
  return message(idOf(ref.ticketId, replyPart), 'ticket.replied', at, {
    thread: ref.thread,
    ticket: { id: ref.ticketId },
    reply: {
      id: reply.id,
      content: reply.content,
      content_format: reply.contentFormat,
      author: { name: reply.authorName },
      created_at: reply.createdAt,
      attachments: reply.attachments,
    },
  })
}

/** `seq` numbers the ticket's status changes (the watch's count), keeping ids apart. */
export function ticketStatusChangedMessage(
  ref: TicketRef & { from: TicketStatus; to: TicketStatus; seq: number },
  at: Date,
): OutboundMessage {
  return message(idOf(ref.ticketId, `status_${ref.seq}`), 'ticket.status_changed', at, {
    thread: ref.thread,
    ticket: { id: ref.ticketId },
    status: { from: ref.from, to: ref.to },
  })
}

/**
 * The three Standard Webhooks headers for one attempt: `v1,` base64 HMAC-SHA256 over
 * `{id}.{timestamp}.{body}`, keyed with the base64 after `whsec_`; one signature per secret,
 * space-separated, so the receiver can rotate its secret without downtime.
 */
export async function signOutbound(
  outbound: OutboundMessage,
  secrets: string[],
  nowMs: number,
): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(nowMs / 1000))
  const signed = utf8(`${outbound.id}.${timestamp}.${outbound.body}`)
  const signatures: string[] = []
  for (const secret of secrets) {
    const key = decodeSecret(secret)
    if (!key) throw new Error('a reply secret is not a whsec_ base64 key')
    const mac = await crypto.subtle.sign('HMAC', await importHmacKey(key), signed)
    signatures.push(`v1,${toBase64(mac)}`)
  }
  return {
    [WEBHOOK_ID_HEADER]: outbound.id,
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    [WEBHOOK_SIGNATURE_HEADER]: signatures.join(' '),
  }
}

/** The message a watch's outbound action becomes for a webhook source's reply URL. */
export function messageForAction(
  action: OutboundAction,
  thread: string,
  at: Date,
): OutboundMessage {
  const ref = { thread, ticketId: action.ticketId }
  if (action.type === 'send_reply') return ticketRepliedMessage(ref, action.reply, at)
  if (action.type === 'send_created') {
    return ticketCreatedMessage({ ...ref, ticketNumber: action.ticketNumber }, at)
  }
  return ticketStatusChangedMessage(
    { ...ref, from: action.from, to: action.to, seq: action.seq },
    at,
  )
}
