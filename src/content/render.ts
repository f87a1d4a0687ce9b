import type { ContentFormat } from '../ticket-event'
import {
  BIDI_CONTROLS,
  escapeHtml,
  joinHtml,
  linkHtml,
  textToHtml,
  visibleText,
  type Html,
} from './html'
import { slackToHtml } from './slack-markup'

/**
 * Sender text -> the HTML Udesk stores and shows agents. `text` is read as typed (forms,
 * alerts, the bridge's own webhooks), `slack` in Slack's message markup.
 */
export function renderContent(content: string, format: ContentFormat = 'text'): Html {
  const text = visibleText(content) // also what links and their labels are made of
  return format === 'slack' ? slackToHtml(text) : linkedTextToHtml(text)
}

/**
 * Bare http(s) URLs in plain text (an alert's generator URL, a link pasted in a form). Its end
 * is the first space, quote or angle bracket; trailing punctuation belongs to the sentence.
 */
const BARE_URL = /\bhttps?:\/\/[^\s<>"'`]+/g
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/

/** Plain text escaped, line breaks and spaces kept, bare http(s) URLs linked. */
export function linkedTextToHtml(text: string): Html {
  const parts: Html[] = []
  let last = 0
  for (const match of text.matchAll(BARE_URL)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '')
    if (url.length <= 'https://'.length) continue
    parts.push(textToHtml(text.slice(last, match.index), { continues: parts.length > 0 }))
    parts.push(linkHtml(url, escapeHtml(url)))
    last = match.index + url.length
  }
  parts.push(textToHtml(text.slice(last), { continues: parts.length > 0 }))
  return joinHtml(parts)
}

/**
 * A subject or a customer's name: Udesk shows these without escaping, so they carry no markup.
 * `<` and `>` become the look-alike `‹` `›` (the words stay readable, no tag can open),
 * control characters (C0, DEL, C1) become spaces and bidi controls are removed (they would
 * reorder how the label reads; a label keeps its length limit).
 */
export function plainLabel(text: string): string {
  return text
    .replaceAll('<', '‹')
    .replaceAll('>', '›')
    .replace(BIDI_CONTROLS, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
}

/**
 * `plainLabel`, trimmed, or `undefined` when nothing visible is left (a sender's subject or
 * name made only of control characters and spaces): Udesk refuses a blank subject or nick_name
 * (code 2000), which would dead-letter an accepted message.
 */
export function visibleLabel(text: string | undefined): string | undefined {
  const label = text === undefined ? '' : plainLabel(text).trim()
  return label === '' ? undefined : label
}

/** Whether `text` has a character `visibleLabel` keeps: for schemas refusing blank subjects. */
export function hasVisibleText(text: string): boolean {
  return visibleLabel(text) !== undefined
}
