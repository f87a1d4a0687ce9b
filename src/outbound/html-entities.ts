/**
 * HTML character references, decoded as a browser decodes them, for the text and attribute
 * values HTMLRewriter hands over as written (`&amp;`, `&nbsp;`, `&#8217;` stay undecoded there).
 *
 * Named references: the HTML 4.01 set (HTML 4.01 specification, section 24 "Character entity
 * references in HTML 4": 24.2 the ISO 8859-1 characters, 24.3 symbols, mathematical symbols and
 * Greek letters, 24.4 markup-significant and internationalization characters), 252 names, plus
 * `&apos;` from XML: what Udesk's editor and mail clients write. `&lang;` and `&rang;` take
 * their HTML5 code points (U+27E8, U+27E9), as browsers show them. The 2,000 other names HTML5
 * added (`&check;`, `&NewLine;`, ...) are left as written, so they show literally (escaped for
 * Slack by the caller). A full HTML5 table costs 13 to 15 KiB gzipped in the bundle (the
 * `entities` and `html-entities` packages); this one well under 2 KiB.
 *
 * Numeric references follow the HTML Living Standard, "numeric character reference end
 * state": decimal or hex, the `;` optional; 0, surrogates and anything above U+10FFFF become
 * U+FFFD; 0x80 to 0x9F are read as Windows-1252, as browsers do.
 */

/** HTML 4.01 section 24.2: U+00A0 to U+00FF, in order. */
const LATIN_1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg ' +
  'plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute ' +
  'Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml ' +
  'Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc ' +
  'euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ' +
  'ugrave uacute ucirc uuml yacute thorn yuml'

/** HTML 4.01 sections 24.3 and 24.4 (and XML's `apos`): name, then its code point in hex. */
const OTHERS =
  // 24.4: markup-significant and internationalization characters
  'quot 22 amp 26 lt 3c gt 3e apos 27 OElig 152 oelig 153 Scaron 160 scaron 161 Yuml 178 ' +
  'circ 2c6 tilde 2dc ensp 2002 emsp 2003 thinsp 2009 zwnj 200c zwj 200d lrm 200e rlm 200f ' +
  'ndash 2013 mdash 2014 lsquo 2018 rsquo 2019 sbquo 201a ldquo 201c rdquo 201d bdquo 201e ' +
  'dagger 2020 Dagger 2021 permil 2030 lsaquo 2039 rsaquo 203a euro 20ac ' +
  // 24.3: Latin f, Greek letters
  'fnof 192 Alpha 391 Beta 392 Gamma 393 Delta 394 Epsilon 395 Zeta 396 Eta 397 Theta 398 ' +
  'Iota 399 Kappa 39a Lambda 39b Mu 39c Nu 39d Xi 39e Omicron 39f Pi 3a0 Rho 3a1 Sigma 3a3 ' +
  'Tau 3a4 Upsilon 3a5 Phi 3a6 Chi 3a7 Psi 3a8 Omega 3a9 alpha 3b1 beta 3b2 gamma 3b3 ' +
  'delta 3b4 epsilon 3b5 zeta 3b6 eta 3b7 theta 3b8 iota 3b9 kappa 3ba lambda 3bb mu 3bc ' +
  'nu 3bd xi 3be omicron 3bf pi 3c0 rho 3c1 sigmaf 3c2 sigma 3c3 tau 3c4 upsilon 3c5 phi 3c6 ' +
  'chi 3c7 psi 3c8 omega 3c9 thetasym 3d1 upsih 3d2 piv 3d6 ' +
  // 24.3: general punctuation, letterlike symbols, arrows
  'bull 2022 hellip 2026 prime 2032 Prime 2033 oline 203e frasl 2044 weierp 2118 image 2111 ' +
  'real 211c trade 2122 alefsym 2135 larr 2190 uarr 2191 rarr 2192 darr 2193 harr 2194 ' +
  'crarr 21b5 lArr 21d0 uArr 21d1 rArr 21d2 dArr 21d3 hArr 21d4 ' +
  // 24.3: mathematical operators, technical symbols, shapes, suits
  'forall 2200 part 2202 exist 2203 empty 2205 nabla 2207 isin 2208 notin 2209 ni 220b ' +
  'prod 220f sum 2211 minus 2212 lowast 2217 radic 221a prop 221d infin 221e ang 2220 ' +
  'and 2227 or 2228 cap 2229 cup 222a int 222b there4 2234 sim 223c cong 2245 asymp 2248 ' +
  'ne 2260 equiv 2261 le 2264 ge 2265 sub 2282 sup 2283 nsub 2284 sube 2286 supe 2287 ' +
  'oplus 2295 otimes 2297 perp 22a5 sdot 22c5 lceil 2308 rceil 2309 lfloor 230a rfloor 230b ' +
  'lang 27e8 rang 27e9 loz 25ca spades 2660 clubs 2663 hearts 2665 diams 2666'

/** Windows-1252's characters for 0x80 to 0x9F (HTML's table; the five gaps stay as they are). */
const C1 =
  '20ac 81 201a 192 201e 2026 2020 2021 2c6 2030 160 2039 152 8d 17d 8f 90 2018 2019 201c ' +
  '201d 2022 2013 2014 2dc 2122 161 203a 153 9d 17e 178'

let named: Map<string, string> | undefined

/** The table, built on first use: name (case-sensitive, no `&` or `;`) to its character. */
function namedTable(): Map<string, string> {
  if (named) return named
  named = new Map(LATIN_1.split(' ').map((name, i) => [name, String.fromCodePoint(0xa0 + i)]))
  const others = OTHERS.split(' ')
  for (let i = 0; i < others.length; i += 2) {
    named.set(others[i]!, String.fromCodePoint(parseInt(others[i + 1]!, 16)))
  }
  return named
}

/**
 * HTML's legacy names, decoded even without their `;` (`&copy 2024`, `&nbsp`): the Latin-1 set
 * and `quot amp lt gt`, as in the HTML Living Standard's named character reference table.
 */
function isLegacy(name: string, char: string): boolean {
  return char >= '\u00a0' ? char <= '\u00ff' : name !== 'apos'
}

/** A numeric reference's character: U+FFFD for 0, surrogates and beyond U+10FFFF. */
function numeric(digits: string, radix: 10 | 16): string {
  const code = parseInt(digits, radix)
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd'
  if (code >= 0x80 && code <= 0x9f) return String.fromCodePoint(c1[code - 0x80]!)
  return String.fromCodePoint(code)
}

const c1 = C1.split(' ').map((hex) => parseInt(hex, 16))

const REFERENCE = /&(?:#([xX])([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*)(;?))/g

/**
 * `text` with its character references decoded. In an attribute value (`inAttribute`) a
 * legacy name without `;` followed by a letter, digit or `=` stays as written, as browsers
 * keep `?a=1&copy=2` in a URL. Unknown names and a lone `&` stay as written.
 */
export function decodeHtmlEntities(text: string, inAttribute = false): string {
  if (!text.includes('&')) return text
  const table = namedTable()
  return text.replace(REFERENCE, (whole, _x, hex, dec, name: string, semi: string, at: number) => {
    if (hex !== undefined) return numeric(hex, 16)
    if (dec !== undefined) return numeric(dec, 10)
    const exact = semi ? table.get(name) : undefined
    if (exact !== undefined) return exact
    for (let end = name.length; end >= 2; end--) {
      const char = table.get(name.slice(0, end))
      if (char === undefined || !isLegacy(name.slice(0, end), char)) continue
      const rest = name.slice(end) + semi
      const next = rest[0] ?? text[at + whole.length] ?? ''
      return inAttribute && /[A-Za-z0-9=]/.test(next) ? whole : char + rest
    }
    return whole
  })
}
