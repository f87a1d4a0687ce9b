import * as z from '../zod'
import { escapeToBuffer } from 'hono/utils/html'

/**
 * HTML that is safe to hand to Udesk, which stores ticket and reply content as HTML and shows
 * it to agents rendered. Only the functions of `src/content/` make one (escaping sender text,
 * or building the few tags the bridge itself writes), so content that skipped escaping does not
 * type-check where the Udesk client takes it.
 */
export type Html = string & { readonly __brand: 'Html' }

/** For the Udesk client's input schemas: the type says Html, the check that it is a string. */
export const HtmlSchema = z.custom<Html>((value) => typeof value === 'string')

/** Schemes a link the bridge writes may use; anything else (`javascript:`, `data:`) stays text. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:'])

/**
 * `text` with `&`, `<`, `>`, `"` and `'` escaped (Hono's escaper, the one its JSX uses), so it
 * reads as the same characters in any element or quoted attribute. Line breaks and spaces are
 * left as they are: see `textToHtml` for text meant to be read as written.
 */
export function escapeHtml(text: string): Html {
  const buffer: [string] = ['']
  escapeToBuffer(text, buffer)
  return buffer[0] as Html
}

/** C0 and C1 control characters and DEL, except tab, line feed and carriage return. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g
/**
 * Unicode's bidirectional formatting characters (UAX #9: LRE, RLE, PDF, LRO, RLO, LRI, RLI,
 * FSI, PDI, LRM, RLM): they reorder how the text around them is shown, so `evil\u202Etxt.exe`
 * reads as `evilexe.txt`.
 */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g

/**
 * Sender text with nothing invisible left to mislead an agent: control characters other than
 * tab and line breaks dropped (NUL, BEL, ESC, C1), bidi controls shown as `[U+202E]`. Idempotent.
 */
export function visibleText(text: string): string {
  return text
    .replace(CONTROLS, '')
    .replace(BIDI_CONTROLS, (ch) => `[U+${ch.charCodeAt(0).toString(16).toUpperCase()}]`)
}

/**
 * Plain text as Udesk should show it: escaped, each line break (`\n`, `\r\n`, `\r`) as `<br>`
 * followed by a newline (so the stored HTML still reads line by line), and runs of spaces or
 * tabs kept visible with `&nbsp;` (HTML would fold them into one space). Control and bidi
 * characters as `visibleText` leaves them.
 */
export function textToHtml(text: string, options: { continues?: boolean } = {}): Html {
  const lines = visibleText(text).split(/\r\n|\r|\n/)
  const html = lines.map((line, n) => keepSpaces(escapeHtml(line), n > 0 || !options.continues))
  return html.join('<br>\n') as Html
}

/**
 * A space after another space, or leading a line, is `&nbsp;`; single spaces between words
 * stay breakable. A tab is four spaces. `startsLine` is false for text that continues a line
 * already begun (after a link).
 */
function keepSpaces(line: Html, startsLine: boolean): string {
  const spaced = line.replaceAll('\t', '    ')
  let out = ''
  for (let i = 0; i < spaced.length; i++) {
    const ch = spaced.charAt(i)
    const hard = ch === ' ' && ((i === 0 && startsLine) || out.endsWith(' '))
    out += hard ? '&nbsp;' : ch
  }
  return out
}

/** Whether `url` is an absolute http, https or mailto URL: the only links the bridge writes. */
export function isLinkableUrl(url: string): boolean {
  if (!URL.canParse(url)) return false
  return LINK_SCHEMES.has(new URL(url).protocol)
}

/**
 * `<a href="url">label</a>` for an http/https/mailto URL, the URL escaped inside the quoted
 * attribute; any other URL yields the label alone, as text.
 */
export function linkHtml(url: string, label: Html): Html {
  if (!isLinkableUrl(url)) return label
  return `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${label}</a>` as Html
}

/** The inline and block tags Slack's simple formatting maps to. */
export type SimpleTag = 'b' | 'i' | 's' | 'code' | 'pre' | 'blockquote'

export function wrapHtml(tag: SimpleTag, inner: Html): Html {
  return `<${tag}>${inner}</${tag}>` as Html
}

/** Pieces already HTML, joined by an HTML separator. */
export function joinHtml(parts: readonly Html[], separator: Html = '' as Html): Html {
  return parts.join(separator) as Html
}

/**
 * A tagged template for HTML the bridge itself writes: the literal parts are the author's
 * markup and every `${value}` is escaped. Only a template literal can call it, so sender text
 * cannot pose as the literal part.
 */
export function html(literals: TemplateStringsArray, ...values: (string | number)[]): Html {
  let out = literals[0] ?? ''
  values.forEach((value, n) => {
    out += escapeHtml(String(value))
    out += literals[n + 1] ?? ''
  })
  return out as Html
}
