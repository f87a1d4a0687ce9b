import { escapeHtml, joinHtml, linkHtml, textToHtml, wrapHtml, type Html } from './html'

/**
 * Slack's message markup ("Formatting text for app surfaces", docs.slack.dev): `<url|label>`
 * links, `<@U…>` users, `<#C…|name>` channels, `<!here>` and other special mentions, the
 * three escaped characters `&lt;` `&gt;` `&amp;`, and `*bold*` `_italic_` `~strike~`
 * `` `code` `` ``` ```blocks``` ``` with `>` quotes. It is turned into readable text first
 * and only then escaped, so nothing a Slack user typed becomes markup of its own.
 */

/** A run of readable text, or a link Slack marked up (the only links a Slack message gets). */
export type SlackPiece = { text: string } | { text: string; url: string }

const ANGLE_TOKEN = /<([^<>\n]+)>/g
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' }

/** Slack's three entities decoded in one pass, so `&amp;lt;` reads `&lt;` and not `<`. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(?:lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity)
}

/** The readable pieces of a Slack message: every `<…>` token resolved, entities decoded. */
export function slackPieces(text: string): SlackPiece[] {
  const pieces: SlackPiece[] = []
  let last = 0
  for (const match of text.matchAll(ANGLE_TOKEN)) {
    if (match.index > last)
      pieces.push({ text: decodeSlackEntities(text.slice(last, match.index)) })
    pieces.push(angleToken(match[1] ?? ''))
    last = match.index + match[0].length
  }
  if (last < text.length) pieces.push({ text: decodeSlackEntities(text.slice(last)) })
  return pieces
}

/** One `<…>` token: what Slack's own client shows for it. */
function angleToken(inner: string): SlackPiece {
  const bar = inner.indexOf('|')
  const target = decodeSlackEntities(bar < 0 ? inner : inner.slice(0, bar))
  const label = bar < 0 ? undefined : decodeSlackEntities(inner.slice(bar + 1))
  if (target.startsWith('@')) return { text: `@${label ?? target.slice(1)}` }
  if (target.startsWith('#')) return { text: `#${label ?? target.slice(1)}` }
  if (target.startsWith('!')) return { text: specialMention(target.slice(1), label) }
  if (target.startsWith('mailto:')) {
    const address = target.slice('mailto:'.length)
    const shown = label && label !== address ? `${label} (${address})` : address
    return { text: shown, url: target }
  }
  return { text: label ?? target, url: target }
}

/** `<!here>` -> `@here`; `<!subteam^S1|@ops>` -> `@ops`; `<!date^…|fallback>` -> the fallback. */
function specialMention(command: string, label: string | undefined): string {
  if (label !== undefined)
    return label.startsWith('@') || command.startsWith('date') ? label : `@${label}`
  return `@${command.split('^')[0] ?? command}`
}

/** The message as plain text (links as their labels): subjects and first lines. */
export function slackToText(text: string): string {
  // Without `<` or `&` there is no token or entity to resolve: most messages.
  if (!text.includes('<') && !text.includes('&')) return text
  return slackPieces(text)
    .map((piece) => piece.text)
    .join('')
}

const CODE_BLOCK = /```([\s\S]*?)```/g

/**
 * The message as HTML: code blocks as `<pre>`, `>` quote lines as `<blockquote>`, inline
 * formatting as simple tags, links only where Slack marked an http/https/mailto URL.
 */
export function slackToHtml(text: string): Html {
  const parts: Html[] = []
  let last = 0
  for (const match of text.matchAll(CODE_BLOCK)) {
    parts.push(blockHtml(text.slice(last, match.index)))
    const code = slackToText((match[1] ?? '').replace(/^\n|\n$/g, ''))
    parts.push(wrapHtml('pre', textToHtml(code)))
    last = match.index + match[0].length
  }
  parts.push(blockHtml(text.slice(last)))
  return joinHtml(parts)
}

/** Lines outside code blocks; consecutive `>` lines become one quote. */
function blockHtml(text: string): Html {
  if (text === '') return '' as Html
  const out: Html[] = []
  let quote: string[] = []
  const flush = () => {
    if (quote.length > 0) out.push(wrapHtml('blockquote', inlineHtml(quote.join('\n'))))
    quote = []
  }
  const lines = text.split('\n')
  lines.forEach((line, n) => {
    const quoted = /^(?:&gt;|>) ?(.*)$/.exec(line)
    if (quoted) return quote.push(quoted[1] ?? '')
    flush()
    out.push(inlineHtml(n < lines.length - 1 ? `${line}\n` : line))
  })
  flush()
  return joinHtml(out)
}

/** `*bold*`, `_italic_`, `~strike~` and `` `code` ``, only at word boundaries as Slack does. */
const INLINE = /(?<=^|[\s(])([*_~`])(?=\S)([^\n]*?\S)\1(?=$|[\s.,;:!?)])/g
const INLINE_TAGS = { '*': 'b', _: 'i', '~': 's', '`': 'code' } as const

/** One line (or a quote's lines): the text before the first tag starts the line. */
function inlineHtml(text: string): Html {
  const out: Html[] = []
  let last = 0
  for (const match of text.matchAll(INLINE)) {
    out.push(piecesHtml(text.slice(last, match.index), last === 0))
    const marker = match[1] as keyof typeof INLINE_TAGS
    out.push(wrapHtml(INLINE_TAGS[marker], piecesHtml(match[2] ?? '', false)))
    last = match.index + match[0].length
  }
  out.push(piecesHtml(text.slice(last), last === 0))
  return joinHtml(out)
}

/** Text and links; leading spaces are kept visible only where the text starts a line. */
function piecesHtml(text: string, startsLine: boolean): Html {
  return joinHtml(
    slackPieces(text).map((piece, n) =>
      'url' in piece
        ? linkHtml(piece.url, escapeHtml(piece.text))
        : textToHtml(piece.text, { continues: n > 0 || !startsLine }),
    ),
  )
}
