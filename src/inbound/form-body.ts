import { InvalidPayloadError, PayloadTooLargeError } from '../errors'
import { DEFAULT_FORM_LIMITS, checkFieldCount, type FormLimits } from './form-limits'
import { readMultipart } from './form-multipart'
import { readUrlencoded } from './form-urlencoded'
import { JSON_TYPE, MULTIPART } from './media-type'
import { parseJsonBody } from './payload'

export type FieldValue = string | string[]

export interface FormBody {
  /** Named fields; a repeated name (checkboxes) becomes a list; empty values are dropped. */
  fields: Record<string, unknown>
  /** Files chosen in file inputs; an input left empty sends no file. */
  files: File[]
}

/**
 * A form submission in any of the three encodings browsers and scripts use, read in linear
 * time: 413 over `limits` (counted before any value is collected), 415 for a charset the
 * runtime cannot decode, 400 for a malformed body.
 */
export async function readFormBody(
  body: Uint8Array,
  mediaType: string,
  contentType: string,
  limits: FormLimits = DEFAULT_FORM_LIMITS,
): Promise<FormBody> {
  if (mediaType === JSON_TYPE) return { fields: jsonFields(parseJsonBody(body), limits), files: [] }
  if (mediaType === MULTIPART) {
    const { fields, files } = await readMultipart(body, contentType, limits)
    return { fields: collect(fields), files }
  }
  return { fields: collect(readUrlencoded(body, contentType, limits)), files: [] }
}

/** Fields by name, a repeated name as a list in order; each value is appended, never copied. */
function collect(entries: Iterable<[string, string]>): Record<string, FieldValue> {
  const fields = new Map<string, string[]>()
  for (const [name, raw] of entries) {
    const value = raw.trim()
    if (value === '') continue
    const seen = fields.get(name)
    if (seen) seen.push(value)
    else fields.set(name, [value])
  }
  // fromEntries defines own properties: a field named `__proto__` stays a field.
  return Object.fromEntries(
    [...fields].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? '') : values]),
  )
}

/** JSON forms: scalars become strings as they would in a browser post; nulls are dropped. */
function jsonFields(json: unknown, limits: FormLimits): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidPayloadError('body must be a JSON object of form fields')
  }
  const entries = Object.entries(json)
  checkFieldCount(entries.length, limits)
  if (entries.some(([, v]) => Array.isArray(v) && v.length > limits.maxValuesPerName)) {
    throw new PayloadTooLargeError(
      `a field name was sent more than ${limits.maxValuesPerName} times`,
    )
  }
  const fields: [string, unknown][] = []
  for (const [name, value] of entries) {
    if (value === null || value === '') continue
    const scalar = typeof value === 'number' || typeof value === 'boolean'
    fields.push([name, scalar ? String(value) : value])
  }
  return Object.fromEntries(fields)
}
