import { CHARSET_FIELD, fieldDecoder, formCharset } from './form-charset'
import { checkFieldCount, checkValuesPerName, type FormLimits } from './form-limits'

const AMPERSAND = 0x26
const EQUALS = 0x3d
const PLUS = 0x2b
const PERCENT = 0x25
const SPACE = 0x20

/**
 * `application/x-www-form-urlencoded` fields as `[name, value]` text, in one pass over the
 * bytes (WHATWG URL, "application/x-www-form-urlencoded parser"), decoded in the charset the
 * request names (its `charset` parameter, else the `_charset_` field) rather than always as
 * UTF-8, since a page in ISO-8859-1 or GBK posts its own charset's bytes. `URLSearchParams`
 * cannot do that: it decodes UTF-8 only and turns other bytes into U+FFFD.
 * Throws 413 over `limits` before decoding a value, 415 for an unknown charset, 400 for bytes
 * that are not text in it.
 */
export function readUrlencoded(
  body: Uint8Array,
  contentType: string,
  limits: FormLimits,
): [string, string][] {
  checkFieldCount(countSegments(body), limits)
  const raw = splitSegments(body).map(splitPair)
  const charsetField = raw.find(([name]) => isAscii(name, CHARSET_FIELD))?.[1]
  const decoder = fieldDecoder(
    formCharset(contentType, charsetField && percentDecode(charsetField)),
  )
  const names = raw.map(([name]) => decoder.decode(percentDecode(name), 'a field name'))
  checkValuesPerName(names, limits)
  return raw.map(([, value], i) => {
    const name = names[i] ?? ''
    return [
      name,
      decoder.decode(percentDecode(value), () => `field ${JSON.stringify(name.slice(0, 40))}`),
    ]
  })
}

/** How many non-empty `&`-separated segments the body has, allocating nothing. */
function countSegments(body: Uint8Array): number {
  let count = 0
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== AMPERSAND && (i === 0 || body[i - 1] === AMPERSAND)) count++
  }
  return count
}

/** The non-empty `&`-separated segments, as views of the body (no copies). */
function splitSegments(body: Uint8Array): Uint8Array[] {
  const segments: Uint8Array[] = []
  let start = 0
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== AMPERSAND) continue
    if (i > start) segments.push(body.subarray(start, i))
    start = i + 1
  }
  return segments
}

function splitPair(segment: Uint8Array): [Uint8Array, Uint8Array] {
  const eq = segment.indexOf(EQUALS)
  if (eq === -1) return [segment, new Uint8Array()]
  return [segment.subarray(0, eq), segment.subarray(eq + 1)]
}

/** `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as it is. */
export function percentDecode(bytes: Uint8Array): Uint8Array {
  // Most names and many values have neither: they are their own bytes.
  if (bytes.indexOf(PERCENT) === -1 && bytes.indexOf(PLUS) === -1) return bytes
  const out = new Uint8Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0
    const high = byte === PERCENT ? hexValue(bytes[i + 1]) : -1
    const low = high === -1 ? -1 : hexValue(bytes[i + 2])
    if (low !== -1) {
      out[n++] = high * 16 + low
      i += 2
    } else out[n++] = byte === PLUS ? SPACE : byte
  }
  return out.subarray(0, n)
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  const lower = byte | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1
}

function isAscii(bytes: Uint8Array, text: string): boolean {
  if (bytes.length !== text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false
  return true
}
