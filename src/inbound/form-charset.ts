import { InvalidPayloadError, UnsupportedMediaTypeError } from '../errors'

/** The field browsers fill with the charset they encoded the form in (HTML, "_charset_"). */
export const CHARSET_FIELD = '_charset_'

/** A parameter of a `Content-Type` header (`charset`, `boundary`), unquoted; undefined if absent. */
export function mediaTypeParam(contentType: string, name: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const eq = part.indexOf('=')
    if (eq === -1 || part.slice(0, eq).trim().toLowerCase() !== name) continue
    const value = part.slice(eq + 1).trim()
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2
      ? value.slice(1, -1)
      : value
  }
  return undefined
}

/** Decodes the text of one form in one charset, refusing bytes that are not in it. */
export interface FieldDecoder {
  /** The charset's canonical name (`windows-1252` for `ISO-8859-1`, as the Encoding Standard says). */
  encoding: string
  /**
   * Text of a name or value; 400 naming the field when its bytes are not valid in the charset
   * (`field` is only called then: most forms never need the name spelled out).
   */
  decode(bytes: Uint8Array, field: string | (() => string)): string
}

/** Fatal decoders by label: stateless between whole-buffer `decode` calls, so shared. */
const decoders = new Map<string, TextDecoder>()

/**
 * A decoder for `label` (the `charset` parameter or the `_charset_` field), any label of the
 * WHATWG Encoding Standard that the runtime's `TextDecoder` knows (workerd knows all of them:
 * UTF-8, ISO-8859-x, windows-125x, GBK, GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR, ...).
 * Fatal decoding: a byte the charset does not have is a 400, never a stored U+FFFD.
 * Throws 415 naming the charset when the runtime has no decoder for it.
 */
export function fieldDecoder(label = 'utf-8'): FieldDecoder {
  const decoder = textDecoder(label.trim())
  return {
    encoding: decoder.encoding,
    decode(bytes, field) {
      try {
        return decoder.decode(bytes)
      } catch {
        const name = typeof field === 'string' ? field : field()
        throw new InvalidPayloadError(`${name} is not valid ${decoder.encoding} text`)
      }
    },
  }
}

function textDecoder(label: string): TextDecoder {
  const cached = decoders.get(label.toLowerCase())
  if (cached) return cached
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false })
  } catch {
    throw new UnsupportedMediaTypeError(
      `charset ${JSON.stringify(label.slice(0, 40))} is not supported`,
    )
  }
  // Only labels the runtime knows get here: a few dozen at most.
  decoders.set(label.toLowerCase(), decoder)
  return decoder
}

const ascii = new TextDecoder('utf-8')

/** The charset a form names: the header's `charset` parameter, else its `_charset_` field. */
export function formCharset(contentType: string, charsetField?: Uint8Array): string | undefined {
  const param = mediaTypeParam(contentType, 'charset')
  if (param) return param
  return charsetField && charsetField.length > 0 ? ascii.decode(charsetField) : undefined
}
