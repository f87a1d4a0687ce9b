import type { TicketOptions } from '../ticket-event'
import type { SourceConfig } from '../config'

/** What every adapter knows besides the payload. No env, no fetch, no clock: all given. */
export interface AdapterContext<Source> {
  /** The source's name in config (`:source` in the URL). */
  source: string
  config: Source
  /** The sender's delivery id (Slack event_id, webhook-id, ...), already chosen by the route. */
  deliveryId: string
  /** When the bridge received the request, ms since epoch. */
  receivedAt: number
}

/**
 * Event ids are a function of the delivery, so a replay that slips past the KV filter (KV is
 * eventually consistent) carries the same ids and the thread's Durable Object drops it.
 */
export function eventId(context: AdapterContext<unknown>, n: number): string {
  return `${context.source}:${context.deliveryId}:${n}`
}

/** Udesk's subject limit (reference: "Maximum length of 255 characters"). */
export const MAX_SUBJECT_CHARS = 255
/**
 * A content's share of one queue message (Cloudflare Queues: 128 KB per message), in UTF-8
 * bytes: 30,000 characters of Chinese, 22,500 emoji, 90,000 of ASCII.
 */
export const MAX_CONTENT_BYTES = 90_000
/** `TicketEvent.thread` limit. */
export const MAX_THREAD_CHARS = 512

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength
}

const SURROGATE = /[\ud800-\udfff]/

/** At most `maxChars` characters (code points), ending with `…` when cut: for subjects. */
export function clipChars(text: string, maxChars: number): string {
  // No string has more code points than UTF-16 units: a short one needs no counting.
  if (text.length <= maxChars) return text
  // Without surrogates in the first `maxChars` units, each of them is one code point.
  if (!SURROGATE.test(text.slice(0, maxChars))) return text.slice(0, maxChars - 1) + '…'
  let end = 0
  let cut = 0
  for (let chars = 0; chars < maxChars && end < text.length; chars++) {
    if (chars === maxChars - 1) cut = end
    end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1
  }
  return end >= text.length ? text : text.slice(0, cut) + '…'
}

/** At most `maxBytes` bytes of UTF-8, cut at a character and ending with `…` when cut. */
export function clip(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text
  const bytes = encoder.encode(text)
  if (bytes.length <= maxBytes) return text
  let end = maxBytes - 3 // room for `…`
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end-- // back to a character's start
  return decoder.decode(bytes.subarray(0, end)) + '…'
}

/** The first non-empty line, for a subject made from a message. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  )
}

/**
 * A thread key that fits the event schema: long keys keep a readable prefix plus a hash of the
 * whole key (FNV-1a, enough to tell apart keys sharing a 480-character prefix).
 */
export function threadKey(key: string): string {
  return boundedKey(key, MAX_THREAD_CHARS)
}

/** `key` itself when it has at most `max` characters, else a prefix and the whole key's hash. */
export function boundedKey(key: string, max: number): string {
  if (key.length <= max) return key
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return `${key.slice(0, max - 32)}…#${(hash >>> 0).toString(16).padStart(8, '0')}`
}

/**
 * The ticket options of an event that opens a ticket: the source's name as the first tag (so
 * agents can filter by where a ticket came from), the source's configured options, then what
 * the sender asked for.
 */
export function sourceTicketOptions(
  context: AdapterContext<SourceConfig>,
  extra: TicketOptions = {},
): TicketOptions {
  const base = context.config.ticket
  const tagged = { ...base, tags: [context.source, ...(base.tags ?? [])] }
  return mergeTicketOptions(tagged, extra)
}

/** Source options first, then what the sender asked for; tags add up, fields override. */
export function mergeTicketOptions(base: TicketOptions, extra: TicketOptions): TicketOptions {
  const tags = [...new Set([...(base.tags ?? []), ...(extra.tags ?? [])])]
  const fields = { ...base.fields, ...extra.fields }
  const merged: TicketOptions = { ...base, ...stripUndefined(extra) }
  if (tags.length > 0) merged.tags = tags
  else delete merged.tags
  if (Object.keys(fields).length > 0) merged.fields = fields
  else delete merged.fields
  return merged
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
