import { decodeHtmlEntities } from './html-entities'

/** The reply is fed to HTMLRewriter this many characters at a time, so reading can stop. */
const CHUNK_CHARS = 16_384
/** A `data:` URL longer than this is cut to `data:`. */
const INLINE_DATA_CHARS = 1_024

/**
 * An attribute's `data:` URL over 1 KiB (an image pasted into the editor, inline in base64)
 * cut to `data:`: never linked in Slack (only http, https and mailto are), and lol-html must
 * buffer a whole tag, up to its memory limit (a tag of about 5 MB fails in workerd).
 */
export function withoutInlineData(html: string): string {
  const start = /=\s*["']?\s*data:/gi
  let out = ''
  let from = 0
  for (let found = start.exec(html); found; found = start.exec(html)) {
    const body = found.index + found[0].length
    const end = endOfValue(html, body)
    if (end - body < INLINE_DATA_CHARS) continue
    out += html.slice(from, body)
    from = end
    start.lastIndex = end
  }
  return out + html.slice(from)
}

/** Where an attribute value (quoted or not) that starts at `at` ends: a scan, no backtracking. */
function endOfValue(html: string, at: number): number {
  const stop = /["'\s>]/g
  stop.lastIndex = at
  return stop.exec(html)?.index ?? html.length
}

/** `html` as UTF-8, `CHUNK_CHARS` at a time (never splitting a surrogate pair) until `stop()`. */
export function chunked(html: string, stop: () => boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (stop() || at >= html.length) return controller.close()
      let end = Math.min(at + CHUNK_CHARS, html.length)
      if (/[\ud800-\udbff]/.test(html[end - 1]!)) end++
      controller.enqueue(encoder.encode(html.slice(at, end)))
      at = end
    },
  })
}

/** lol-html's refusal of a token it cannot buffer (a comment or text of megabytes). */
export function isMemoryLimit(error: unknown): boolean {
  return error instanceof Error && /memory limit/i.test(error.message)
}

/**
 * The reply's text when HTMLRewriter refuses it: scripts, styles, comments and tags removed,
 * entities decoded, at most `maxChars` characters. Shown rather than losing the reply.
 */
export function plainTextOf(html: string, maxChars: number): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)|<!--[\s\S]*?(?:-->|$)/gi, ' ')
    .replace(/<\/?[A-Za-z][^>]*>?/g, ' ')
  return decodeHtmlEntities(text.slice(0, maxChars * 4)).slice(0, maxChars)
}
