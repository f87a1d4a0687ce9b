import { escapeMrkdwn, textToMrkdwn, type Mrkdwn } from './mrkdwn'
import { parseUdeskHtml, type HtmlElement, type HtmlNode } from './udesk-html-tree'

export { escapeMrkdwn, textToMrkdwn, type Mrkdwn }

const BLOCK_TAGS = new Set(
  'p div section article header footer main aside nav address figure blockquote pre ul ol li dl dt dd table thead tbody tfoot tr hr h1 h2 h3 h4 h5 h6'.split(
    ' ',
  ),
)
const BULLETS = ['•', '◦', '▪']
const INDENT = '    '
/** HTML's white space (not U+00A0, which `&nbsp;` decodes to and which keeps a line). */
const HTML_SPACE = /[ \t\n\r\f]+/g

/**
 * Udesk's HTML reply (its rich editor writes one `<p>` per line, `<p><br></p>` for an empty
 * one) as Slack mrkdwn: each block on its own line, `<br>` a line break, links `<url|label>`
 * (http, https and mailto only; other schemes keep just their label), bold `*`, italic `_`,
 * strike `~`, code in backticks, lists with bullets or numbers indented by depth, quotes `>`,
 * images as links; scripts, styles and the like dropped. Text is entity-decoded (HTML 4's named
 * references and all numeric ones, see html-entities.ts), then escaped for Slack, so a decoded
 * `&lt;` is `&lt;` again and no `&`, `<` or `>` of Udesk's text reaches Slack unescaped.
 * Parsed by the runtime's HTMLRewriter (hence async), within the bounds of `HTML_LIMITS`.
 */
export async function udeskHtmlToMrkdwn(html: string): Promise<Mrkdwn> {
  const document = await parseUdeskHtml(html)
  const text = blocks(document.children, 0).join('\n')
  return text
    .replace(/\u00a0/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\s+$/g, '') as Mrkdwn
}

const isTag = (node: HtmlNode): node is HtmlElement => typeof node !== 'string'
const isBlock = (node: HtmlNode): node is HtmlElement => isTag(node) && BLOCK_TAGS.has(node.name)

/** Block-level rendering: the inline runs between block elements become one line each. */
function blocks(nodes: HtmlNode[], depth: number): string[] {
  const out: string[] = []
  let run: HtmlNode[] = []
  const flush = () => {
    const line = paragraph(run)
    if (line !== null) out.push(line)
    run = []
  }
  for (const node of nodes) {
    if (!isBlock(node)) {
      run.push(node)
      continue
    }
    flush()
    out.push(...block(node, depth))
  }
  flush()
  return out
}

function block(el: HtmlElement, depth: number): string[] {
  switch (el.name) {
    case 'ul':
    case 'ol':
      return list(el, depth)
    case 'li':
      return listItem(el, depth, BULLETS[0]!)
    case 'pre':
      return ['```\n' + escapeMrkdwn(rawText(el).replace(/\n$/, '')) + '\n```']
    case 'blockquote':
      return blocks(el.children, depth).flatMap((line) => line.split('\n').map((l) => `> ${l}`))
    case 'hr':
      return ['⎯⎯⎯⎯⎯⎯⎯⎯']
    case 'tr':
      return [
        el.children
          .map((cell) => inline([cell]).trim())
          .filter(Boolean)
          .join(' | '),
      ]
    default:
      if (/^h[1-6]$/.test(el.name)) return [emphasis('*', paragraph(el.children) ?? '')]
      if (el.children.some(isBlock)) return blocks(el.children, depth)
      return [paragraph(el.children, true) ?? '']
  }
}

/**
 * One line (or several, split by `<br>`) of inline content, trimmed as a browser would. Null
 * when it shows nothing: white space between blocks, `<p></p>`. A `<br>`, or a block of its
 * own holding just `&nbsp;`, is an empty line, as Udesk's editor writes one.
 */
function paragraph(nodes: HtmlNode[], ownBlock = false): string | null {
  const raw = inline(nodes)
  const lines = raw.replace(/\n$/, '').split('\n')
  const joined = lines.map((line) => line.replace(/^ +| +$/g, '')).join('\n')
  if (joined.replace(/\u00a0/g, '').trim() !== '') return joined
  return raw.includes('\n') || (ownBlock && raw.includes('\u00a0')) ? '' : null
}

function list(el: HtmlElement, depth: number): string[] {
  // A plain integer of a few digits, as an editor writes it; anything else (1e3, 0x10, 30
  // digits that print as 1e+23) numbers from 1.
  const given = /^\s*-?\d{1,9}\s*$/.test(el.attribs.start ?? '') ? el.attribs.start : undefined
  const start = given === undefined ? 1 : Number(given)
  const items = el.children.filter((child) => isTag(child) && child.name === 'li') as HtmlElement[]
  return items.flatMap((item, i) => {
    const bullet = el.name === 'ol' ? `${start + i}.` : undefined
    return listItem(item, depth, bullet ?? BULLETS[Math.min(depth, BULLETS.length - 1)]!)
  })
}

/** The item's own text after its bullet, continuation lines aligned, nested lists deeper. */
function listItem(item: HtmlElement, depth: number, bullet: string): string[] {
  const isList = (n: HtmlNode) => isTag(n) && (n.name === 'ul' || n.name === 'ol')
  const own = blocks(
    item.children.filter((n) => !isList(n)),
    depth,
  ).flatMap((line) => line.split('\n'))
  const nested = item.children.filter(isList).flatMap((n) => list(n as HtmlElement, depth + 1))
  const pad = INDENT.repeat(depth)
  const [first = '', ...rest] = own.filter((line) => line !== '')
  return [`${pad}${bullet} ${first}`, ...rest.map((line) => `${pad}  ${line}`), ...nested]
}

/**
 * Inline content as escaped mrkdwn, `\n` for `<br>`; blocks met here become line breaks.
 * Inside a link's label (`inLink`) nothing is linked again: Slack has no link in a label, so
 * a linked image is its alt text and a nested anchor its own label.
 */
function inline(nodes: HtmlNode[], inLink = false): string {
  return nodes.map((node) => inlineNode(node, inLink)).join('')
}

function inlineNode(node: HtmlNode, inLink: boolean): string {
  if (!isTag(node)) return escapeMrkdwn(node.replace(HTML_SPACE, ' '))
  const children = () => inline(node.children, inLink)
  switch (node.name) {
    case 'br':
      return '\n'
    case 'a':
      return inLink ? children() : link(node.attribs.href, inline(node.children, true))
    case 'img': {
      const alt = escapeMrkdwn(node.attribs.alt ?? '') || 'image'
      return inLink ? alt : link(node.attribs.src, alt)
    }
    case 'b':
    case 'strong':
      return emphasis('*', children())
    case 'i':
    case 'em':
      return emphasis('_', children())
    case 's':
    case 'strike':
    case 'del':
      return emphasis('~', children())
    case 'code':
      return emphasis('`', escapeMrkdwn(rawText(node)))
    default:
      return BLOCK_TAGS.has(node.name) ? `\n${children()}\n` : children()
  }
}

/** Slack's markers must touch the text they mark: spaces stay outside them. */
function emphasis(marker: string, text: string): string {
  const [, lead = '', body = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? []
  return body === '' ? text : `${lead}${marker}${body}${marker}${trail}`
}

/** `<url|label>`: `&` escaped in the URL too, `<`, `>` and `|` percent-encoded there. */
function link(href: string | undefined, label: string): string {
  const url = href?.trim() ?? ''
  const text = label.replace(/\s*\n\s*/g, ' ').trim()
  if (!/^(https?:\/\/|mailto:)/i.test(url)) return text
  const safe = escapeMrkdwn(url.replace(/[<>|]/g, (ch) => encodeURIComponent(ch)))
  return text === '' || text === escapeMrkdwn(url) ? `<${safe}>` : `<${safe}|${text}>`
}

function rawText(node: HtmlNode): string {
  if (!isTag(node)) return node
  if (node.name === 'br') return '\n'
  return node.children.map(rawText).join('')
}
