import { ownValue, type FormSource } from '../config'
import { isPhoneNumber } from '../content/phone'
import type { AttachmentRef, Customer, TicketEvent } from '../ticket-event'
import {
  clip,
  clipChars,
  eventId,
  MAX_CONTENT_BYTES,
  sourceTicketOptions,
  utf8Length,
  type AdapterContext,
} from './adapter'
import type { FormFields } from './form-fields'

export { FormFieldsSchema, type FormFields } from './form-fields'

/** A file of a multipart submission; its bytes wait in KV under the ref's key. */
export interface FormFile {
  name: string
  size: number
  contentType: string
}

export interface FormContext extends AdapterContext<FormSource> {
  files: FormFile[]
}

/** A listed field's name is cut here, ending in `…` (README, "Limits"): names are the sender's. */
export const MAX_FIELD_NAME_CHARS = 100

const KNOWN_FIELDS = new Set(['email', 'name', 'phone', 'subject', 'message'])
/** Widget tokens and other services' machinery (Netlify's `form-name`): not the sender's words. */
const WIDGET_FIELDS = new Set([
  'form-name',
  'cf-turnstile-response',
  'g-recaptcha-response',
  'h-captcha-response',
])

/** Whether a field is the form's machinery (honeypot, `_submission_id`, captcha tokens). */
export function isControlField(name: string, config: FormSource): boolean {
  return name === config.honeypot || name.startsWith('_') || WIDGET_FIELDS.has(name)
}

/** Each submission is its own thread: one open event, one ticket. */
export function formToEvents(fields: FormFields, context: FormContext): TicketEvent[] {
  const id = eventId(context, 0)
  const { config } = context
  const mapped: Record<string, string | string[]> = {}
  const extras: [string, string | string[]][] = []
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || isControlField(name, config)) continue
    const fieldId = ownValue(config.fieldMap, name) // field names are the sender's
    if (fieldId) mapped[fieldId] = value
    else if (!KNOWN_FIELDS.has(name)) extras.push([clipChars(name, MAX_FIELD_NAME_CHARS), value])
  }
  const attachments: AttachmentRef[] = context.files.map((file, n) => ({
    key: `attachment:${id}:${n}`,
    ...file,
  }))
  const event: TicketEvent = {
    id,
    source: context.source,
    thread: context.deliveryId,
    receivedAt: context.receivedAt,
    type: 'open',
    subject: fields.subject || config.subject,
    content: clip(formContent(fields, extras, attachments), MAX_CONTENT_BYTES),
    customer: formCustomer(fields),
    ticket: sourceTicketOptions(context, { fields: mapped }),
  }
  if (attachments.length > 0) event.attachments = attachments
  return [event]
}

/** Formspree's `_cc`: addresses the sender asked to be copied, for the agent to see. */
function ccLine(cc: unknown): string | undefined {
  const list = [cc].flat().filter((v): v is string => typeof v === 'string' && v.trim() !== '')
  return list.length > 0 ? `Cc: ${list.join(', ')}` : undefined
}

/**
 * The sender as a Udesk customer. A phone that does not look like one (`1<svg onload=…>`) is
 * not sent as the customer's cellphone; the content's `Phone:` line still shows it, escaped.
 */
function formCustomer(fields: FormFields): Customer {
  const { email, name, phone } = fields
  return { email, ...(name && { name }), ...(phone && isPhoneNumber(phone) && { phone }) }
}

/**
 * The message, then who sent it and every other field as `name: value` lines. The message keeps
 * its room first: when the listed fields would push the content past `MAX_CONTENT_BYTES`, they
 * are what is cut, with a note (README, "Limits").
 */
function formContent(
  fields: FormFields,
  extras: [string, string | string[]][],
  attachments: AttachmentRef[],
): string {
  const from = fields.name ? `${fields.name} <${fields.email}>` : fields.email
  const head = [`From: ${from}`]
  if (fields.phone) head.push(`Phone: ${fields.phone}`)
  const listed: string[] = []
  const cc = ccLine(fields._cc)
  if (cc) listed.push(cc)
  for (const [name, value] of extras) {
    listed.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
  }
  const tail = attachments.map((a) => `${a.name} (${formatSize(a.size)})`).join(', ')
  const after = tail ? `\nAttachments: ${tail}` : ''
  const before = `\n\n---\n${head.join('\n')}`
  const fixed = utf8Length(before) + utf8Length(after)
  const message = cutMessage(fields.message?.trim() || '(no message)', MAX_CONTENT_BYTES - fixed)
  const room = MAX_CONTENT_BYTES - fixed - utf8Length(message)
  return `${message}${before}${cutListed(listed, room)}${after}`
}

/**
 * The `\n`-led lines of the listed fields within `maxBytes` of UTF-8: what the message and the
 * sender's address leave. Cut with a note an agent can see, as a message is.
 */
function cutListed(lines: string[], maxBytes: number): string {
  const text = lines.map((line) => `\n${line}`).join('')
  const size = utf8Length(text)
  if (size <= maxBytes) return text
  const note = `\n[fields cut: they had ${size.toLocaleString('en')} bytes, the message left room for ${Math.max(0, maxBytes).toLocaleString('en')}]`
  return clip(text, Math.max(0, maxBytes - utf8Length(note))) + note
}

/**
 * The message within `maxBytes` of UTF-8 (what the content leaves beside the sender's address),
 * cut with a note an agent can see rather than refused: the sender cannot shorten a sent form.
 */
function cutMessage(message: string, maxBytes: number): string {
  const size = utf8Length(message)
  if (size <= maxBytes) return message
  const note = `\n\n[message cut: it had ${size.toLocaleString('en')} bytes, tickets keep ${MAX_CONTENT_BYTES.toLocaleString('en')}]`
  return clip(message, Math.max(0, maxBytes - utf8Length(note))) + note
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
