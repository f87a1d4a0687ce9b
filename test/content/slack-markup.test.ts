import { describe, it } from 'vitest'
import { slackToHtml, slackToText } from '../../src/content/slack-markup'

const link = (url: string, label: string) =>
  `<a href="${url}" rel="noopener noreferrer">${label}</a>`

describe('Slack markup -> readable text', () => {
  it('links a labelled URL, a mailto with its address, and names the mention', ({ expect }) => {
    const text =
      'See <https://status.example.com/i/42|the status page>\nmail <mailto:ops@example.com|ops> <!here>'

    expect(slackToHtml(text)).toBe(
      `See ${link('https://status.example.com/i/42', 'the status page')}<br>\n` +
        `mail ${link('mailto:ops@example.com', 'ops (ops@example.com)')} @here`,
    )
  })

  it('shows a bare URL as itself, linked', ({ expect }) => {
    expect(slackToHtml('<https://example.com/a?b=1&amp;c=2>')).toBe(
      link('https://example.com/a?b=1&amp;c=2', 'https://example.com/a?b=1&amp;c=2'),
    )
  })

  it.for([
    ['<@U024BE7LH>', '@U024BE7LH'],
    ['<@U024BE7LH|ada>', '@ada'],
    ['<#C024BE7LR|ops>', '#ops'],
    ['<#C024BE7LR>', '#C024BE7LR'],
    ['<!here>', '@here'],
    ['<!channel>', '@channel'],
    ['<!everyone>', '@everyone'],
    ['<!here|here>', '@here'],
    ['<!subteam^SAZ94GDB8|@oncall>', '@oncall'],
    ['<!date^1392734382^{date_short}|Feb 18, 2014>', 'Feb 18, 2014'],
    ['<mailto:a@b.example>', 'a@b.example'],
  ])('reads %s as %s', ([markup, text], { expect }) => {
    expect(slackToText(markup ?? '')).toBe(text)
  })

  it('decodes &lt; &gt; &amp; exactly once, then escapes them for HTML', ({ expect }) => {
    expect(slackToText('&lt;script&gt; &amp;lt;')).toBe('<script> &lt;')
    expect(slackToHtml('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    )
  })

  it('never links a javascript: URL, even one Slack marked up', ({ expect }) => {
    expect(slackToHtml('<javascript:alert(1)|click>')).toBe('click')
  })

  it('keeps bold, italic, strike and code as simple tags, at word boundaries only', ({
    expect,
  }) => {
    expect(slackToHtml('*down* since _noon_, ~maybe~ `curl -v`; my_var_name')).toBe(
      '<b>down</b> since <i>noon</i>, <s>maybe</s> <code>curl -v</code>; my_var_name',
    )
  })

  it('puts code blocks in <pre> and quotes in <blockquote>, their text escaped', ({ expect }) => {
    expect(slackToHtml('Log:\n```&lt;b&gt;\nx  y```\n&gt; quoted *line*\nafter')).toBe(
      'Log:<br>\n<pre>&lt;b&gt;<br>\nx &nbsp;y</pre><br>\n' +
        '<blockquote>quoted <b>line</b></blockquote>after',
    )
  })
})
