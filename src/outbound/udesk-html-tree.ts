import { decodeHtmlEntities } from './html-entities'
import { TRUNCATION_MARK } from './mrkdwn-parts'
import { chunked, isMemoryLimit, plainTextOf, withoutInlineData } from './udesk-html-input'

/** An element of the reply: lower-case name, attributes decoded, children in order. */
export interface HtmlElement {
  name: string
  attribs: Record<string, string>
  children: HtmlNode[]
}

/** Text (entities decoded, white space as written) or an element. */
export type HtmlNode = string | HtmlElement

/**
 * Bounds on one reply, so a huge or hostile one costs bounded CPU and memory: reading stops
 * at `maxTags` start tags or `maxTextChars` characters of text (far more than the Slack parts
 * of one reply can show; the rest stays in Udesk) and what was read ends with
 * `TRUNCATION_MARK`. Each element costs a few microseconds of handler calls in workerd, and
 * lol-html refuses (memory limit) some 20,000 open elements, hence the bound on tags.
 */
export const HTML_LIMITS = {
  maxTags: 2_000,
  /** Nesting kept (the renderer recurses this deep); deeper elements only add their text. */
  maxDepth: 48,
  maxTextChars: 32_000,
} as const

/** Longer than any character reference worth decoding (`&thetasym;`, `&#x10FFFF;`). */
const MAX_REFERENCE_CHARS = 32

/** Elements without content: no end tag, never on the stack. */
const VOID = new Set(
  'area base br col embed hr img input link meta param source track wbr'.split(' '),
)
/** Elements whose content is never shown: neither their text nor their elements are kept. */
const SKIPPED = new Set(['script', 'style', 'title', 'template', 'noscript', 'iframe'])
/** HTML's "has an element in scope": the elements an implied end tag does not look past. */
const SCOPE = ['table', 'td', 'th', 'caption', 'html', 'template']
const P_SCOPE = { closes: ['p'], within: [...SCOPE, 'button'] }
/**
 * Start tags that close an open element, as HTML's parser does: a block closes an open `<p>`
 * ("close a p element"), `<li>` an open `<li>` of the same list, a cell an open cell of the
 * same row, a row the open row of the same table.
 */
const IMPLIED: Record<string, { closes: string[]; within: string[] }> = {
  ...Object.fromEntries(
    'address article aside blockquote div dl fieldset figure footer form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table ul'
      .split(' ')
      .map((name) => [name, P_SCOPE]),
  ),
  li: { closes: ['li'], within: [...SCOPE, 'ul', 'ol'] },
  dt: { closes: ['dt', 'dd'], within: [...SCOPE, 'dl'] },
  dd: { closes: ['dt', 'dd'], within: [...SCOPE, 'dl'] },
  tr: { closes: ['tr'], within: ['table', 'html', 'template'] },
  td: { closes: ['td', 'th'], within: ['tr', 'table', 'html', 'template'] },
  th: { closes: ['td', 'th'], within: ['tr', 'table', 'html', 'template'] },
}

/**
 * Udesk's HTML as a tree, read with the runtime's HTMLRewriter (lol-html, nothing in the
 * bundle). HTMLRewriter streams start tags, end tags and text without building a tree, so the
 * tree is built on a stack: a start tag opens an element under the innermost open one, its end
 * tag (which lol-html also fires for the elements it closes implicitly) closes it and what is
 * open inside it, and what is left open at the end is closed there. Implied end tags HTML's
 * parser knows (`<li>` closes an open `<li>`, a block closes an open `<p>`) are applied, so an
 * unclosed `<li>` does not nest the next one. Text is entity-decoded (see html-entities.ts).
 * The reply is fed in chunks (inline `data:` images cut, see udesk-html-input.ts) until its end
 * or a bound of `HTML_LIMITS`. A reply lol-html still refuses (a comment or tag of megabytes:
 * its memory limit) becomes its plain text; any other error of the runtime is thrown.
 */
export async function parseUdeskHtml(html: string): Promise<HtmlElement> {
  const tree = new TreeBuilder()
  const rewriter = new HTMLRewriter()
    .on('*', { element: (el) => tree.open(el) })
    .onDocument({ text: (chunk) => tree.text(chunk) })
  const input = chunked(withoutInlineData(html), () => tree.stopped)
  try {
    await rewriter.transform(new Response(input)).arrayBuffer()
  } catch (error) {
    if (!isMemoryLimit(error)) throw error
    const text = plainTextOf(html, HTML_LIMITS.maxTextChars)
    return { name: '#root', attribs: {}, children: [text] }
  }
  return tree.finish()
}

class TreeBuilder {
  private readonly root: HtmlElement = { name: '#root', attribs: {}, children: [] }
  private readonly stack: HtmlElement[] = [this.root]
  private pending = ''
  private tags = 0
  private reachedBound = false
  private textChars = 0
  private skipping = 0

  /** A bound was reached: what follows is not read. */
  get stopped(): boolean {
    return this.reachedBound
  }

  open(el: Element): void {
    if (this.stopped) return
    this.flushText()
    if (++this.tags > HTML_LIMITS.maxTags) return this.stop()
    const name = el.tagName.toLowerCase()
    if (this.skipping > 0 || SKIPPED.has(name)) return this.skip(el, name)
    const isVoid = VOID.has(name)
    if (!isVoid && this.stack.length > HTML_LIMITS.maxDepth) return
    this.closeImplied(name)
    const node: HtmlElement = { name, attribs: attributes(el), children: [] }
    this.top().children.push(node)
    if (isVoid) return
    this.stack.push(node)
    onEnd(el, () => this.close(node))
  }

  /** Text comes in chunks; a text node is decoded whole, or as it comes once it is long. */
  text(chunk: Text): void {
    if (this.stopped || this.skipping > 0) return
    this.pending += chunk.text
    if (chunk.lastInTextNode) return this.flushText()
    if (this.pending.length > HTML_LIMITS.maxTextChars - this.textChars) this.flushText(true)
  }

  /** The tree; when a bound was reached, it ends with `TRUNCATION_MARK`. */
  finish(): HtmlElement {
    this.flushText()
    return this.root
  }

  private stop(): void {
    this.reachedBound = true
    this.pending = ''
    this.root.children.push(TRUNCATION_MARK)
  }

  /** A skipped element hides what it holds until its end tag (or the end of the reply). */
  private skip(el: Element, name: string): void {
    if (!SKIPPED.has(name)) return
    this.skipping++
    onEnd(el, () => this.skipping--)
  }

  private top(): HtmlElement {
    return this.stack[this.stack.length - 1]!
  }

  /** Closes `node` and what is open inside it; nothing when it is already closed. */
  private close(node: HtmlElement): void {
    const at = this.stack.lastIndexOf(node)
    if (at > 0) this.stack.length = at
  }

  private closeImplied(name: string): void {
    const rule = IMPLIED[name]
    if (!rule) return
    for (let i = this.stack.length - 1; i > 0; i--) {
      const open = this.stack[i]!
      if (rule.closes.includes(open.name)) return this.close(open)
      if (rule.within.includes(open.name)) return
    }
  }

  /** Decodes and keeps the pending text; `partial`: short of a reference the chunk may cut. */
  private flushText(partial = false): void {
    const amp = partial ? this.pending.lastIndexOf('&') : -1
    const cut = amp >= 0 && amp > this.pending.length - MAX_REFERENCE_CHARS
    const end = cut ? amp : this.pending.length
    const raw = this.pending.slice(0, end)
    this.pending = this.pending.slice(end)
    if (raw === '' || this.skipping > 0 || this.stopped) return
    const room = HTML_LIMITS.maxTextChars - this.textChars
    const text = decodeHtmlEntities(raw).slice(0, room)
    this.textChars += text.length
    this.top().children.push(text)
    if (this.textChars >= HTML_LIMITS.maxTextChars) this.stop()
  }
}

/** Runs `then` at the element's end tag; an element lol-html knows has none is left alone. */
function onEnd(el: Element, then: () => void): void {
  try {
    el.onEndTag(then)
  } catch {
    // "No end tag": a self-closing element in SVG or MathML content, empty by definition.
  }
}

/** The element's attributes, names in lower case, values entity-decoded. */
function attributes(el: Element): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name = '', value = ''] of el.attributes) {
    out[name.toLowerCase()] = decodeHtmlEntities(value, true)
  }
  return out
}
