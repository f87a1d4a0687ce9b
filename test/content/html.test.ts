import { describe, it } from 'vitest'
import { escapeHtml, html, linkHtml, textToHtml } from '../../src/content/html'
import { linkedTextToHtml, plainLabel, renderContent } from '../../src/content/render'

describe('textToHtml', () => {
  it('escapes the five characters that could open markup or leave an attribute', ({ expect }) => {
    expect(escapeHtml(`<img src=x onerror="alert(1)"> & 'x'`)).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;x&#39;',
    )
  })

  it('turns every kind of line break into <br>', ({ expect }) => {
    expect(textToHtml('one\ntwo\r\nthree\rfour')).toBe('one<br>\ntwo<br>\nthree<br>\nfour')
  })

  it('keeps runs of spaces and leading indentation visible', ({ expect }) => {
    expect(textToHtml('  Labels:   a\tb')).toBe('&nbsp; Labels: &nbsp; a &nbsp; &nbsp;b')
  })

  it('writes a form "From: Name <email>" line so the email stays visible', ({ expect }) => {
    expect(textToHtml('From: Ada <ada@example.com>')).toBe('From: Ada &lt;ada@example.com&gt;')
  })
})

describe('links', () => {
  it('links http, https and mailto URLs only', ({ expect }) => {
    const label = escapeHtml('x')

    expect(linkHtml('https://example.com/?a=1&b="2"', label)).toBe(
      '<a href="https://example.com/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer">x</a>',
    )
    expect(linkHtml('mailto:ops@example.com', label)).toContain('href="mailto:ops@example.com"')
    expect(linkHtml('javascript:alert(1)', label)).toBe('x')
    expect(linkHtml('data:text/html,<script>', label)).toBe('x')
    expect(linkHtml('/relative', label)).toBe('x')
  })

  it('links bare http(s) URLs in plain text, leaving the sentence punctuation out', ({
    expect,
  }) => {
    expect(linkedTextToHtml('See https://status.example.com/i/42. Or javascript:alert(1)')).toBe(
      'See <a href="https://status.example.com/i/42" rel="noopener noreferrer">' +
        'https://status.example.com/i/42</a>. Or javascript:alert(1)',
    )
  })

  it('renders plain text by default and Slack markup when told', ({ expect }) => {
    expect(renderContent('<b>')).toBe('&lt;b&gt;')
    expect(renderContent('&lt;b&gt;', 'slack')).toBe('&lt;b&gt;')
  })
})

describe('labels and templates', () => {
  it('leaves no markup in a subject or a name', ({ expect }) => {
    expect(plainLabel('Ada <b onmouseover=alert(1)>X</b>')).toBe(
      'Ada ‹b onmouseover=alert(1)›X‹/b›',
    )
    expect(plainLabel('line\none')).toBe('line one')
  })

  it('escapes every value put into an html template', ({ expect }) => {
    expect(html`<p>${'<script>'}</p>`).toBe('<p>&lt;script&gt;</p>')
  })
})
