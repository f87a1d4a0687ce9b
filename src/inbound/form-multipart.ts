import { InvalidPayloadError } from '../errors'
import { CHARSET_FIELD, fieldDecoder, formCharset, mediaTypeParam } from './form-charset'
import { checkFieldCount, checkValuesPerName, type FormLimits } from './form-limits'

export interface MultipartForm {
  fields: [string, string][]
  files: File[]
}

interface RawPart {
  /** The part's header block, bytes (names are in the form's charset). */
  headers: Uint8Array
  body: Uint8Array
}

/** Longest header block of one part: a browser's are a few hundred bytes. */
const MAX_PART_HEADER_BYTES = 8 * 1024

/**
 * A `multipart/form-data` body (RFC 7578). The parts are counted first, by their delimiters,
 * and refused with 413 over `limits` before anything is collected. Files come from the
 * platform's parser (`Response.formData()`); text fields are read from the parts' bytes in the
 * form's charset (the `charset` parameter, else the `_charset_` field, RFC 7578 section 4.6),
 * which `formData()` cannot do: it decodes every text part as UTF-8, with U+FFFD for the rest.
 */
export async function readMultipart(
  body: Uint8Array,
  contentType: string,
  limits: FormLimits,
): Promise<MultipartForm> {
  const boundary = mediaTypeParam(contentType, 'boundary')
  if (!boundary) throw new InvalidPayloadError('multipart/form-data needs a boundary')
  const parts = splitParts(body, boundary)
  checkFieldCount(parts.length, limits)
  const named = parts.map((part) => ({ ...part, head: byteString(part.headers) }))
  // The platform's parser reads the body a second time: only when a part is a file.
  const uploads = named.some((p) => isFile(p.head)) ? await platformFiles(body, contentType) : []
  const charsetPart = named.find((p) => nameParam(p.head) === CHARSET_FIELD && !isFile(p.head))
  const decoder = fieldDecoder(formCharset(contentType, charsetPart?.body))
  const texts = named.filter((p) => !isFile(p.head))
  const names = texts.map((p) => nameParam(decoder.decode(p.headers, 'a part header')) ?? '')
  checkValuesPerName([...names, ...uploads.map(([name]) => name)], limits)
  const fields = texts.map((p, i): [string, string] => {
    const name = names[i] ?? ''
    return [name, decoder.decode(p.body, () => `field ${JSON.stringify(name.slice(0, 40))}`)]
  })
  return { fields, files: uploads.map(([, file]) => file) }
}

/** `[input name, file]` of each file chosen; an input left empty sends no file. */
async function platformFiles(body: Uint8Array, contentType: string): Promise<[string, File][]> {
  let data: FormData
  try {
    // The body's buffer is a plain ArrayBuffer (read from the request); Node's types ask so.
    const bytes = body as Uint8Array<ArrayBuffer>
    data = await new Response(bytes, { headers: { 'content-type': contentType } }).formData()
  } catch {
    throw new InvalidPayloadError('body is not valid multipart/form-data')
  }
  const files: [string, File][] = []
  for (const [name, value] of data) {
    if (typeof value !== 'string' && (value.size > 0 || value.name !== ''))
      files.push([name, value])
  }
  return files
}

/** The parts between `--boundary` delimiters, as views of the body; one linear scan. */
function splitParts(body: Uint8Array, boundary: string): RawPart[] {
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`)
  const starts = body.length >= delimiter.length - 2 && startsWithDash(body, delimiter) ? [-2] : []
  for (let at = findBytes(body, delimiter, 0); at !== -1; at = findBytes(body, delimiter, at + 1)) {
    starts.push(at)
  }
  const last = starts.at(-1)
  if (last === undefined || !isCloseDelimiter(body, last + delimiter.length)) {
    // RFC 2046 section 5.1.1: the body ends with the close-delimiter `--boundary--`.
    throw new InvalidPayloadError('body is not valid multipart/form-data')
  }
  const parts: RawPart[] = []
  for (let i = 0; i + 1 < starts.length; i++) {
    const from = (starts[i] ?? 0) + delimiter.length
    const part = body.subarray(skipLine(body, from), starts[i + 1])
    const split = findBytes(part, HEADER_END, 0)
    if (split === -1 || split > MAX_PART_HEADER_BYTES) {
      throw new InvalidPayloadError('a multipart part has no header block of at most 8 KiB')
    }
    parts.push({ headers: part.subarray(0, split), body: part.subarray(split + HEADER_END.length) })
  }
  return parts
}

const HEADER_END = new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a])
const DASH = 0x2d

function isCloseDelimiter(body: Uint8Array, at: number): boolean {
  return body[at] === DASH && body[at + 1] === DASH
}

/** The body may open with `--boundary` itself, without the CRLF before it. */
function startsWithDash(body: Uint8Array, delimiter: Uint8Array): boolean {
  for (let i = 2; i < delimiter.length; i++) if (body[i - 2] !== delimiter[i]) return false
  return true
}

/** Past the rest of the delimiter's line (transport padding, then CRLF). */
function skipLine(body: Uint8Array, from: number): number {
  const end = body.indexOf(0x0a, from)
  return end === -1 ? body.length : end + 1
}

/** First index of `needle` in `hay` at or after `from`, -1 if none (native search per first byte). */
function findBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]
  for (let at = hay.indexOf(first ?? 0, from); at !== -1; at = hay.indexOf(first ?? 0, at + 1)) {
    if (at + needle.length > hay.length) return -1
    let i = 1
    while (i < needle.length && hay[at + i] === needle[i]) i++
    if (i === needle.length) return at
  }
  return -1
}

/** One character per byte (ASCII stays itself): to find the header's names and markers. */
function byteString(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return text
}

const DISPOSITION = /^content-disposition:(.*)$/im

/** `name` of the part's Content-Disposition (browsers escape `"` in it as `%22`). */
function nameParam(head: string): string | undefined {
  const disposition = DISPOSITION.exec(head)?.[1] ?? ''
  const match = /(?:^|;)\s*name\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(disposition)
  return match ? (match[1] ?? match[2]) : undefined
}

function isFile(head: string): boolean {
  return /(?:^|;)\s*filename\*?\s*=/i.test(DISPOSITION.exec(head)?.[1] ?? '')
}
