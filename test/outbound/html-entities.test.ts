import { describe, it } from 'vitest'
import { decodeHtmlEntities } from '../../src/outbound/html-entities'

describe('HTML character references in Udesk replies', () => {
  it('decodes decimal and hex references, the semicolon optional, astral ones whole', ({
    expect,
  }) => {
    expect(decodeHtmlEntities('it&#8217;s &#x2019; &#X2019 &#65&#x42; &#128512; &#0000065;')).toBe(
      'it’s ’ ’ AB 😀 A',
    )
  })

  it('turns 0, surrogates and code points beyond U+10FFFF into U+FFFD', ({ expect }) => {
    expect(decodeHtmlEntities('&#0;|&#xD800;|&#xdfff;|&#x110000;|&#99999999999999999999;')).toBe(
      '\ufffd|\ufffd|\ufffd|\ufffd|\ufffd',
    )
  })

  it('reads 0x80 to 0x9F as Windows-1252, as browsers do, its gaps as they are', ({ expect }) => {
    expect(decodeHtmlEntities('&#128;&#150;&#x93;&#x94;&#153;&#x81;')).toBe('€–“”™\u0081')
  })

  it('decodes the HTML 4 names of every section, case-sensitively', ({ expect }) => {
    const html =
      '&nbsp;&yuml;&Eacute;&eacute;&quot;&apos;&amp;&lt;&gt;&OElig;&euro;&mdash;&hellip;' +
      '&fnof;&Omega;&thetasym;&trade;&hArr;&forall;&infin;&lang;&rang;&diams;'

    expect(decodeHtmlEntities(html)).toBe('\u00a0ÿÉé"\'&<>Œ€—…ƒΩϑ™⇔∀∞⟨⟩♦')
  })

  it('leaves HTML5-only names, unknown names and lone ampersands as written', ({ expect }) => {
    const text = '&check; &NewLine; &AMP; &Amp; &bogus; AT&T & co &# &#x; &;'

    expect(decodeHtmlEntities(text)).toBe(text)
  })

  it('decodes a legacy name without its semicolon in text, as browsers do', ({ expect }) => {
    expect(decodeHtmlEntities('&copy 2026 &amp &ltb &notit; &nbspx')).toBe(
      '© 2026 & <b ¬it; \u00a0x',
    )
  })

  it('keeps a legacy name without semicolon in a URL when a letter, digit or = follows', ({
    expect,
  }) => {
    const url = 'https://x.example/?a=1&copy=2&amp&reg3&not;&lt'

    expect(decodeHtmlEntities(url, true)).toBe('https://x.example/?a=1&copy=2&&reg3¬<')
  })

  it('decodes once: an encoded reference stays a reference', ({ expect }) => {
    expect(decodeHtmlEntities('&amp;lt;script&amp;gt; &amp;#60;')).toBe('&lt;script&gt; &#60;')
  })
})
