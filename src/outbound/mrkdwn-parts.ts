import type { Mrkdwn } from './mrkdwn'

/**
 * Slack truncates a message's `text` after 40,000 characters and advises keeping it under
 * 4,000 (chat.postMessage, "Truncating content"); a long reply is posted as several messages.
 */
export const MAX_PART_CHARS = 3_500
/** A bound on the messages one reply becomes; the rest stays in Udesk. */
export const MAX_PARTS = 4
/** Ends the last part of a reply that did not fit. */
export const TRUNCATION_MARK = '…'

export interface PartLimits {
  maxChars: number
  maxParts: number
}

export interface MrkdwnParts {
  /** Each at most `maxChars` characters, in order. */
  parts: Mrkdwn[]
  /** The reply went on past the last part, which ends with `TRUNCATION_MARK`. */
  truncated: boolean
}

/**
 * Splits a reply into messages: at a paragraph break (an empty line) when one falls in the
 * second half of the allowed length, else at a line break, else at a space, else anywhere;
 * never inside a `<link|label>` or an `&amp;`-style escape. At most `maxParts` parts.
 */
export function splitMrkdwn(
  text: Mrkdwn,
  limits: PartLimits = { maxChars: MAX_PART_CHARS, maxParts: MAX_PARTS },
): MrkdwnParts {
  const parts: Mrkdwn[] = []
  let rest: string = text
  while (rest.length > limits.maxChars) {
    const last = parts.length === limits.maxParts - 1
    const room = last ? limits.maxChars - TRUNCATION_MARK.length : limits.maxChars
    const cut = cutPoint(rest, room)
    const part = rest.slice(0, cut).trimEnd()
    rest = rest.slice(cut).replace(/^\s*\n|^ +/, '')
    if (last) {
      parts.push(`${part}${TRUNCATION_MARK}` as Mrkdwn)
      return { parts, truncated: true }
    }
    parts.push(part as Mrkdwn)
  }
  if (rest !== '') parts.push(rest as Mrkdwn)
  return { parts, truncated: false }
}

/** Where to end a part of at most `room` characters. */
function cutPoint(text: string, room: number): number {
  const head = text.slice(0, room + 1)
  const half = Math.floor(room / 2)
  const paragraph = head.lastIndexOf('\n\n')
  if (paragraph >= half) return paragraph
  const line = head.lastIndexOf('\n')
  if (line >= half && isSafe(text, line)) return line
  for (let i = Math.min(room, text.length - 1); i > 0; i--) {
    if (head[i] === ' ' && isSafe(text, i)) return i
  }
  for (let i = room; i > 0; i--) if (isSafe(text, i)) return i
  return room
}

/** A cut before index `i` splits no `<...>` link and no `&...;` escape. */
function isSafe(text: string, i: number): boolean {
  const before = text.slice(0, i)
  if (before.lastIndexOf('<') > before.lastIndexOf('>')) return false
  const amp = before.lastIndexOf('&')
  return amp === -1 || i - amp > 5 || before.indexOf(';', amp) !== -1
}
