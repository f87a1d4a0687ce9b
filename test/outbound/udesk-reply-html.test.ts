import { describe, it } from 'vitest'
import { TRUNCATION_MARK } from '../../src/outbound/mrkdwn-parts'
import { HTML_LIMITS } from '../../src/outbound/udesk-html-tree'
import { udeskHtmlToMrkdwn } from '../../src/outbound/udesk-html-to-mrkdwn'

/** Replies shaped as Udesk's rich editor and agents' pasted mail write them. */
describe("an agent's Udesk reply in Slack", () => {
  it('indents lists the editor nests, each item a <p>, a list inside a <p> closing it', async ({
    expect,
  }) => {
    const html =
      '<p>To change the card:</p><ol><li><p>Open <strong>Settings</strong></p></li>' +
      '<li><p>Choose Billing</p><ul><li><p>Invoices</p></li>' +
      '<li><p>Cards<ul><li>Visa</li><li>Mastercard</li></ul></p></li></ul></li></ol>' +
      '<p><br/></p><p>Best,<br>Tom</p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'To change the card:\n1. Open *Settings*\n2. Choose Billing\n    ◦ Invoices\n' +
        '    ◦ Cards\n        ▪ Visa\n        ▪ Mastercard\n\nBest,\nTom',
    )
  })

  it('closes list items, paragraphs and cells left open, as a browser does', async ({ expect }) => {
    const html =
      '<p>Options<ul><li>one<li>two<li>three</ul><p>first<p>second' +
      '<table><tr><td>a<td>b<tr><td>c</table>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'Options\n• one\n• two\n• three\nfirst\nsecond\na | b\nc',
    )
  })

  it('shows a table from the editor row by row, cells separated by bars', async ({ expect }) => {
    const html =
      '<table border="1"><tbody><tr><th>Plan</th><th>Price</th></tr>' +
      '<tr><td><p>Pro</p></td><td>&euro;20&nbsp;/&nbsp;month</td></tr></tbody></table>'

    expect(await udeskHtmlToMrkdwn(html)).toBe('Plan | Price\nPro | €20 / month')
  })

  it('decodes a link whose query string the editor entity-encoded, and escapes it for Slack', async ({
    expect,
  }) => {
    const html =
      '<p><a href="https://help.example.com/kb?id=7&amp;lang=en&copy=1&#38;q=a%3Cb" ' +
      'target="_blank">Article &#8220;Billing&#8221;</a></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      // `&lang=` and `&copy=` stay as written in a URL, as browsers keep them.
      '<https://help.example.com/kb?id=7&amp;lang=en&amp;copy=1&amp;q=a%3Cb|Article “Billing”>',
    )
  })

  it('links an image to its URL under its alt text; an inline data image keeps only its label', async ({
    expect,
  }) => {
    const html =
      '<p>Here:<img src="https://cdn.udesk.cn/a.png?w=1&amp;h=2" alt="R&amp;D chart"></p>' +
      '<p><img src="data:image/png;base64,iVBORw0KGgo=" /></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'Here:<https://cdn.udesk.cn/a.png?w=1&amp;h=2|R&amp;D chart>\nimage',
    )
  })

  it('drops what scripts, styles, titles and comments hold, even markup-like text', async ({
    expect,
  }) => {
    const html =
      '<html><head><title>Re: order</title><style>p { color: red } a > b {}</style></head>' +
      '<body><script>if (a < b && c) document.write("<p>x</p>")</script>' +
      '<!-- <p>hidden</p> --><p>Visible</p><noscript><p>no js</p></noscript></body></html>'

    expect(await udeskHtmlToMrkdwn(html)).toBe('Visible')
  })

  it('keeps the text of malformed HTML: misnested, unclosed and stray tags', async ({ expect }) => {
    const html =
      '</p></div><div><b>bold</div>after</b> tail<p>open <i>italic <a href=https://x.io>x'

    expect(await udeskHtmlToMrkdwn(html)).toBe('*bold*\nafter tail\nopen _italic <https://x.io|x>_')
  })

  it('shows decoded entities escaped once more for Slack, never as markup', async ({ expect }) => {
    const html =
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &#60;@U123&#x3E; &amp;lt; &lt;!here&gt;</p>' +
      '<p><code>&lt;div class="a"&gt;</code></p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &lt;@U123&gt; &amp;lt; &lt;!here&gt;\n' +
        '`&lt;div class="a"&gt;`',
    )
  })

  it('writes typographic entities as their characters, and an HTML5-only name as written', async ({
    expect,
  }) => {
    const html =
      '<p>It&rsquo;s done &#8212; 3&nbsp;&times;&nbsp;&euro;5&hellip; &copy 2026 ' +
      '&Omega;&rarr;&infin; &#150; &#xD800; &check; &amp;check;</p>'

    expect(await udeskHtmlToMrkdwn(html)).toBe(
      'It’s done — 3 × €5… © 2026 Ω→∞ – \ufffd &amp;check; &amp;check;',
    )
  })

  it('keeps the text of a reply nested deeper than it renders, without running out of stack', async ({
    expect,
  }) => {
    const html = '<div><blockquote>'.repeat(HTML_LIMITS.maxTags / 2 - 10) + '<b>deep</b>'

    expect(await udeskHtmlToMrkdwn(html)).toMatch(/^(> )+\*?deep\*?$/)
  })

  it('stops reading a reply at its bound on tags, and marks it as cut', async ({ expect }) => {
    const nested = '<div>'.repeat(50_000) + 'never shown'
    const long = '<p><b>word</b> &amp; </p>'.repeat(200_000)

    expect(await udeskHtmlToMrkdwn(nested)).toBe(TRUNCATION_MARK)
    const mrkdwn = await udeskHtmlToMrkdwn(long)
    expect(mrkdwn.startsWith('*word* &amp;\n*word* &amp;\n')).toBe(true)
    expect(mrkdwn.split('\n')).toHaveLength(HTML_LIMITS.maxTags / 2 + 1)
    expect(mrkdwn.endsWith(`*word* &amp;\n${TRUNCATION_MARK}`)).toBe(true)
  })

  it('stops reading a reply at its bound on text, far beyond what Slack is sent', async ({
    expect,
  }) => {
    const html = `<p>${'word &amp; '.repeat(500_000)}</p><p>never shown</p>`

    const mrkdwn = await udeskHtmlToMrkdwn(html)

    expect(mrkdwn.replace(/&amp;/g, '&').length).toBe(HTML_LIMITS.maxTextChars + 2)
    expect(mrkdwn).toMatch(/^word &amp; word/)
    expect(mrkdwn.endsWith(TRUNCATION_MARK)).toBe(true)
    expect(mrkdwn).not.toContain('never shown')
  })

  it('cuts an image pasted inline as base64, keeping the reply around it', async ({ expect }) => {
    const image = `data:image/png;base64,${'iVBORw0KGgo'.repeat(600_000)}`
    const html = `<p>Before</p><p><img src="${image}" alt="shot"></p><p>After</p>`

    expect(await udeskHtmlToMrkdwn(html)).toBe('Before\nshot\nAfter')
  })

  it('shows the text of a reply too large for lol-html to buffer, rather than losing it', async ({
    expect,
  }) => {
    const html = `<p>Before</p><!-- ${'x'.repeat(6_000_000)} --><p>after <b>R&amp;D</b></p>`

    expect(await udeskHtmlToMrkdwn(html)).toBe('Before after R&amp;D')
  })

  it('never lets a raw &, < or > through outside its own links, whatever the HTML', async ({
    expect,
  }) => {
    const pieces = [
      '<p>',
      '</p>',
      '<b>',
      '</i>',
      '<a href="https://x.io/?a=1&amp;b=<2>|3">',
      '</a>',
      '<br>',
      '<img src="https://x.io/i.png" alt="<&>">',
      '<ul><li>',
      '<code>',
      '</code>',
      '<pre>',
      '&lt;',
      '&gt;',
      '&amp;',
      '&#60;',
      '&#x3e;',
      '&#38;',
      '&lt',
      '&amp',
      '&bogus;',
      '& ',
      '<',
      '>',
      '<!--',
      '-->',
      '<script>',
      '</script>',
      '<a href="mailto:a@b.c?x=<y>">',
      '"',
      '|',
      'text',
      ' ',
      '\n',
      '<!-- c -->',
      '<td>',
      '<tr>',
      '</table>',
      '<![CDATA[<x>]]>',
      '</',
    ]
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length
    const link = /<(?:https?:\/\/|mailto:)[^<>|]*(?:\|[^<>]*)?>/g

    for (let doc = 0; doc < 300; doc++) {
      const html = Array.from({ length: 30 }, () => pieces[next()]).join('')
      const outside = (await udeskHtmlToMrkdwn(html)).replace(link, '')

      expect({ html, outside }).not.toMatchObject({ outside: expect.stringMatching(/[<>]/) })
      expect({ html, outside }).not.toMatchObject({
        outside: expect.stringMatching(/&(?!amp;|lt;|gt;)/),
      })
    }
  })
})
