import { z } from 'zod'
import { ownValue, type FormSource } from '../config'
import type { AttachmentRef, Customer, TicketEvent } from '../ticket-event'
import {
  clip,
  clipChars,
  eventId,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  sourceTicketOptions,
  type AdapterContext,
} from './adapter'

const FieldValue = z.union([z.string().max(10_000), z.array(z.string().max(10_000)).max(100)])

/**
 * A contact form's fields, from urlencoded, multipart or JSON. `email` is required; every
 * other field is listed in the ticket or mapped to a custom field.
 */
export const FormFieldsSchema = z
  .object({
    email: z.email(),
    name: z.string().trim().max(255).optional(),
    phone: z.string().trim().max(64).optional(),
    subject: z.string().trim().max(MAX_SUBJECT_CHARS).optional(),
    message: z.string().max(MAX_CONTENT_BYTES).optional(),
  })
  .catchall(FieldValue)
export type FormFields = z.infer<typeof FormFieldsSchema>

/** A file of a multipart submission; its bytes wait in KV under the ref's key. */
export interface FormFile {
  name: string
  size: number
  contentType: string
}

export interface FormContext extends AdapterContext<FormSource> {
  files: FormFile[]
}

const KNOWN_FIELDS = new Set(['email', 'name', 'phone', 'subject', 'message'])
/** Widget tokens that are not the sender's words. */
const WIDGET_FIELDS = new Set([
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
    else if (!KNOWN_FIELDS.has(name)) extras.push([name, value])
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
    subject: clipChars(fields.subject || config.subject, MAX_SUBJECT_CHARS),
    content: clip(formContent(fields, extras, attachments), MAX_CONTENT_BYTES),
    customer: formCustomer(fields),
    ticket: sourceTicketOptions(context, { fields: mapped }),
  }
  if (attachments.length > 0) event.attachments = attachments
  return [event]
}

function formCustomer(fields: FormFields): Customer {
  const { email, name, phone } = fields
  return { email, ...(name && { name }), ...(phone && { phone }) }
}

/** The message, then who sent it and every other field as `name: value` lines. */
function formContent(
  fields: FormFields,
  extras: [string, string | string[]][],
  attachments: AttachmentRef[],
): string {
  const from = fields.name ? `${fields.name} <${fields.email}>` : fields.email
  const lines = [`From: ${from}`]
  if (fields.phone) lines.push(`Phone: ${fields.phone}`)
  for (const [name, value] of extras) {
    lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
  }
  if (attachments.length > 0) {
    lines.push(
      `Attachments: ${attachments.map((a) => `${a.name} (${formatSize(a.size)})`).join(', ')}`,
    )
  }
  const message = fields.message?.trim() || '(no message)'
  return `${message}\n\n---\n${lines.join('\n')}`
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
