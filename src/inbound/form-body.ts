import { InvalidPayloadError } from '../errors'
import { JSON_TYPE, MULTIPART } from './media-type'
import { bodyText, parseJsonBody } from './payload'

export type FieldValue = string | string[]

export interface FormBody {
  /** Named fields; a repeated name (checkboxes) becomes a list; empty values are dropped. */
  fields: Record<string, unknown>
  /** Files chosen in file inputs; an input left empty sends no file. */
  files: File[]
}

/** A form submission in any of the three encodings browsers and scripts use. */
export async function readFormBody(
  body: Uint8Array,
  mediaType: string,
  contentType: string,
): Promise<FormBody> {
  if (mediaType === JSON_TYPE) return { fields: jsonFields(parseJsonBody(body)), files: [] }
  if (mediaType === MULTIPART) return multipartFields(body, contentType)
  return { fields: collect(new URLSearchParams(bodyText(body))), files: [] }
}

async function multipartFields(body: Uint8Array, contentType: string): Promise<FormBody> {
  let data: FormData
  try {
    data = await new Response(body, { headers: { 'content-type': contentType } }).formData()
  } catch {
    throw new InvalidPayloadError('body is not valid multipart/form-data')
  }
  const strings: [string, string][] = []
  const files: File[] = []
  for (const [name, value] of data) {
    if (typeof value === 'string') strings.push([name, value])
    else if (value.size > 0 || value.name !== '') files.push(value)
  }
  return { fields: collect(strings), files }
}

function collect(entries: Iterable<[string, string]>): Record<string, FieldValue> {
  const fields = new Map<string, FieldValue>()
  for (const [name, raw] of entries) {
    const value = raw.trim()
    if (value === '') continue
    const seen = fields.get(name)
    fields.set(name, seen === undefined ? value : [...[seen].flat(), value])
  }
  return Object.fromEntries(fields)
}

/** JSON forms: scalars become strings as they would in a browser post; nulls are dropped. */
function jsonFields(json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidPayloadError('body must be a JSON object of form fields')
  }
  const fields: [string, unknown][] = []
  for (const [name, value] of Object.entries(json)) {
    if (value === null || value === '') continue
    const scalar = typeof value === 'number' || typeof value === 'boolean'
    fields.push([name, scalar ? String(value) : value])
  }
  return Object.fromEntries(fields)
}
