import type { Reply } from '../udesk/schemas'
import {
  compareReplyKeys,
  MAX_HANDLED_REPLIES,
  type ReplyKey,
  type WatchState,
} from './watch-state'
import { withoutInlineData } from './udesk-html-input'

/**
 * Most characters of a reply's content kept on its way out. The thread's queue lives in one
 * Durable Object record, and SQLite refuses a value over 2 MB (`SQLITE_TOOBIG`): a reply of
 * megabytes (a pasted log, a screenshot inline in base64) would stop the watch for good. Slack
 * shows at most 4 parts of 3,500 characters anyway; webhook receivers get the content cut here.
 */
export const MAX_REPLY_CONTENT_CHARS = 32_000

/** A public agent reply on its way back to the customer. */
export interface AgentReply {
  id: number
  /** As Udesk holds it: HTML unless `contentFormat` is `text`. */
  content: string
  contentFormat: 'html' | 'text'
  /** Udesk's `created_at` as sent (ISO time with offset). */
  createdAt: string | null
  authorName: string | null
  attachments: { name: string; url: string }[]
}

/** The new replies a poll found: those to send, and the watch's memory after them. */
export interface ReplySelection {
  send: AgentReply[]
  handled: ReplyKey[]
  floor: ReplyKey | null
  ownReplyIds: number[]
  /** Some new replies were left for a later poll: there was no room for them (`room`). */
  cut: boolean
}

/**
 * Picks the replies of a full `GET /tickets/:id/replies` listing that the watch has not seen:
 * sorted by `created_at` then id (the listing's order is undocumented), each id once (a reply
 * may show on two pages when one is added while paging). Of those, only public replies by an
 * agent that the bridge did not write itself are sent; the rest are remembered as handled.
 * At most `room` are sent: the thread's queue is stored whole, so it is kept bounded, and the
 * replies from the first one without room on are left unhandled for a later poll (`cut`).
 * A reply without a readable `created_at` is placed at `now`. The reference lists a reply `id`
 * but its own example has none: such a reply is known by a negative hash of its time, author
 * and content instead, so it is still sent once.
 */
export function selectNewReplies(
  state: WatchState,
  replies: Reply[],
  now: number,
  room = Infinity,
): ReplySelection {
  const known = new Set(state.handled.map((key) => key.id))
  const fresh = new Map<number, { reply: Reply; key: ReplyKey }>()
  for (const reply of replies) {
    const id = replyId(reply)
    if (known.has(id) || fresh.has(id)) continue
    const key = { at: timeOf(reply.created_at, now), id }
    if (state.floor && compareReplyKeys(key, state.floor) <= 0) continue
    fresh.set(id, { reply, key })
  }
  const ordered = [...fresh.values()].sort((a, b) => compareReplyKeys(a.key, b.key))
  const own = new Set(state.ownReplyIds)
  const isSent = ({ reply, key }: (typeof ordered)[number]) =>
    isPublicAgentReply(reply) && !own.has(key.id)
  let taken = ordered.length
  let sending = 0
  for (let i = 0; i < ordered.length; i++) {
    if (!isSent(ordered[i]!)) continue
    if (sending === room) {
      taken = i
      break
    }
    sending += 1
  }
  const processed = ordered.slice(0, taken)
  const send = processed.filter(isSent).map(({ reply, key }) => toAgentReply(reply, key.id))
  const remembered = [...state.handled, ...processed.map(({ key }) => key)].sort(compareReplyKeys)
  const dropped = remembered.slice(0, Math.max(0, remembered.length - MAX_HANDLED_REPLIES))
  const seenIds = new Set(processed.map(({ key }) => key.id))
  return {
    send,
    handled: remembered.slice(dropped.length),
    floor: dropped.at(-1) ?? state.floor,
    ownReplyIds: state.ownReplyIds.filter((id) => !seenIds.has(id)),
    cut: taken < ordered.length,
  }
}

/** `function_type` external is a comment the customer sees; internal is an agents' note. */
function isPublicAgentReply(reply: Reply): boolean {
  return reply.function_type === 'external' && reply.author?.user_type === 'agent'
}

function toAgentReply(reply: Reply, id: number): AgentReply {
  return {
    id,
    content: boundedContent(reply.content ?? '', reply.content_format === 'text'),
    contentFormat: reply.content_format === 'text' ? 'text' : 'html',
    createdAt: reply.created_at ?? null,
    authorName: reply.author?.nick_name ?? null,
    // A file without a link has nothing to forward.
    attachments: (reply.attachments ?? []).flatMap((file) =>
      file.url ? [{ name: file.file_name ?? file.name ?? 'attachment', url: file.url }] : [],
    ),
  }
}

/** HTML without its inline `data:` images (never shown in Slack), then at most the bound. */
function boundedContent(content: string, isText: boolean): string {
  const kept = isText ? content : withoutInlineData(content)
  if (kept.length <= MAX_REPLY_CONTENT_CHARS) return kept
  const cut = /[\ud800-\udbff]/.test(kept[MAX_REPLY_CONTENT_CHARS - 1]!) ? 1 : 0
  return kept.slice(0, MAX_REPLY_CONTENT_CHARS - cut)
}

/** Udesk's reply id, or for a reply without one a stand-in below zero (FNV-1a, 31 bits). */
export function replyId(reply: Reply): number {
  if (typeof reply.id === 'number') return reply.id
  const text = `${reply.created_at ?? ''}|${reply.author?.id ?? ''}|${reply.content}`
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return -((hash >>> 1) + 1)
}

function timeOf(createdAt: string | null | undefined, now: number): number {
  const ms = createdAt ? Date.parse(createdAt) : NaN
  return Number.isFinite(ms) ? ms : now
}
