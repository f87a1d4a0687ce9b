import { describe, it } from 'vitest'
import { MAX_PART_CHARS, splitMrkdwn, TRUNCATION_MARK } from '../../src/outbound/mrkdwn-parts'
import {
  textToMrkdwn,
  udeskHtmlToMrkdwn,
  type Mrkdwn,
} from '../../src/outbound/udesk-html-to-mrkdwn'

describe('Udesk HTML to Slack mrkdwn', () => {
  it("keeps the lines of Udesk's editor, one <p> each, and its empty lines", async ({ expect }) => {
    const html =
      '<p>Hello Ana,</p><p><br></p><p>The disk is clean again.</p><p>&nbsp;</p><p>Tom</p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe('Hello Ana,\n\nThe disk is clean again.\n\nTom')
  })

  it('writes links as <url|label>, a bare URL as <url>, and drops unsafe schemes', async ({
    expect,
  }) => {
    const html =
      '<p>See <a href="https://status.example.com/?a=1&amp;b=2">the status page</a>, ' +
      '<a href="https://example.com/x">https://example.com/x</a> or ' +
      '<a href="javascript:alert(1)">this</a>. Mail <a href="mailto:help@example.com">us</a>.</p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'See <https://status.example.com/?a=1&amp;b=2|the status page>, ' +
        '<https://example.com/x> or this. Mail <mailto:help@example.com|us>.',
    )
  })

  it('escapes & < > in text once, after decoding HTML entities', async ({ expect }) => {
    const html =
      '<p>if a &lt; b &amp;&amp; c &gt; d then &lt;@U123&gt; &amp;amp; <b>R&amp;D</b></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'if a &lt; b &amp;&amp; c &gt; d then &lt;@U123&gt; &amp;amp; *R&amp;D*',
    )
  })

  it('turns <br> into line breaks and collapses white space as a browser does', async ({
    expect,
  }) => {
    const html = '<div>first   line<br>\n   second\tline<br/></div>\n\n<div>third</div>'

    expect(await udeskHtmlToMrkdwn(html)).toBe('first line\nsecond line\nthird')
  })

  it('renders bullet and numbered lists, nested lists indented', async ({ expect }) => {
    const html =
      '<p>Steps:</p><ol start="3"><li>Stop the job</li><li>Clean up<ul><li>logs</li>' +
      '<li>tmp <i>files</i></li></ul></li></ol><ul><li><p>done</p></li></ul>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'Steps:\n3. Stop the job\n4. Clean up\n    ◦ logs\n    ◦ tmp _files_\n• done',
    )
  })

  it('numbers a list from 1 when its start is not a plain integer of a few digits', async ({
    expect,
  }) => {
    expect(await udeskHtmlToMrkdwn('<ol start="99999999999999999999999"><li>a</li></ol>')).toBe(
      '1. a',
    )
    expect(await udeskHtmlToMrkdwn('<ol start="1e3"><li>a</li></ol>')).toBe('1. a')
    expect(await udeskHtmlToMrkdwn('<ol start="0x10"><li>a</li></ol>')).toBe('1. a')
    expect(await udeskHtmlToMrkdwn('<ol start=" 7 "><li>a</li></ol>')).toBe('7. a')
  })

  it('marks bold, italic, strike and code with spaces outside the markers', async ({ expect }) => {
    const html = '<p><strong>Note: </strong>run <code>rm -rf &lt;dir&gt;</code> <s>twice</s></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe('*Note:* run `rm -rf &lt;dir&gt;` ~twice~')
  })

  it('quotes blockquotes, fences <pre> and links images', async ({ expect }) => {
    const html =
      '<blockquote><p>you wrote</p></blockquote><pre>a  &lt;b&gt;\n  c</pre>' +
      '<p><img src="https://cdn.example.com/shot.png" alt="screenshot"></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      '> you wrote\n```\na  &lt;b&gt;\n  c\n```\n<https://cdn.example.com/shot.png|screenshot>',
    )
  })

  it('writes a linked image as one link labelled with its alt text, never a link inside a label', async ({
    expect,
  }) => {
    const html =
      '<p><a href="https://status.example.com/"><img src="https://cdn.example.com/badge.png" alt="status"></a></p>' +
      '<p><a href="https://docs.example.com/">see <img src="https://cdn.example.com/i.png"></a></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      '<https://status.example.com/|status>\n<https://docs.example.com/|see image>',
    )
  })

  it('drops scripts and styles, and handles text without any tags', async ({ expect }) => {
    expect(await udeskHtmlToMrkdwn('<style>p{}</style><script>x()</script><p>ok</p>')).toBe('ok')
    expect(await udeskHtmlToMrkdwn('just text & more')).toBe('just text &amp; more')
  })

  it('keeps the line breaks of a plain-text reply, escaped', async ({ expect }) => {
    expect(textToMrkdwn('a < b\r\nc & d')).toBe('a &lt; b\nc &amp; d')
  })
})

describe('long replies', () => {
  const paragraph = (n: number, length: number) => `${n}`.padEnd(length, ' word') + '.'

  it('leaves a reply that fits in one message whole', ({ expect }) => {
    const text = textToMrkdwn('short')

    expect(splitMrkdwn(text)).toEqual({ parts: ['short'], truncated: false })
  })

  it('splits at paragraph breaks, each part within the limit', ({ expect }) => {
    const paragraphs = [1, 2, 3, 4, 5].map((n) => paragraph(n, 1500))
    const text = paragraphs.join('\n\n') as Mrkdwn

    const { parts, truncated } = splitMrkdwn(text)

    expect(truncated).toBe(false)
    expect(parts).toEqual([
      `${paragraphs[0]}\n\n${paragraphs[1]}`,
      `${paragraphs[2]}\n\n${paragraphs[3]}`,
      paragraphs[4],
    ])
    expect(parts.every((p) => p.length <= MAX_PART_CHARS)).toBe(true)
  })

  it('splits a paragraph too long for one message between words, never inside a link', ({
    expect,
  }) => {
    const link = '<https://example.com/a/very/long/path|a link with spaces in its label>'
    const text = `${'x'.repeat(60)} ${link} tail` as Mrkdwn

    const { parts } = splitMrkdwn(text, { maxChars: 100, maxParts: 5 })

    expect(parts).toEqual(['x'.repeat(60), `${link} tail`])
  })

  it('stops at the bound on parts and marks the reply as cut', ({ expect }) => {
    const text = Array.from({ length: 40 }, (_, n) => paragraph(n, 900)).join('\n\n') as Mrkdwn

    const { parts, truncated } = splitMrkdwn(text)

    expect(truncated).toBe(true)
    expect(parts).toHaveLength(4)
    expect(parts.at(-1)?.endsWith(TRUNCATION_MARK)).toBe(true)
    expect(parts.every((p) => p.length <= MAX_PART_CHARS)).toBe(true)
  })

  it('never cuts an escape in two', ({ expect }) => {
    const text = `${'y'.repeat(98)}&amp;zzz` as Mrkdwn

    const { parts } = splitMrkdwn(text, { maxChars: 100, maxParts: 3 })

    expect(parts).toEqual(['y'.repeat(98), '&amp;zzz'])
  })
})
