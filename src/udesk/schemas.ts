import * as z from '../zod'

/**
 * Udesk's answers, read tolerantly (docs/udesk-api.md): only the fields the bridge uses are checked, and those as
 * leniently as their meaning allows (an id may come as `"42"`, a text as a number, a missing
 * field as `null`); every other field passes through untyped (`unknown`), so a type Udesk sends
 * that the reference did not show (custom-field `options`, `requirement`, `field_num`, reply
 * `cc`, attachment `url` ...) never fails a call. A used field that is really wrong (an id that
 * is no number, a content that is an object) fails the call permanently, naming the endpoint
 * and the field's path (see `interpret` in http.ts).
 */

/** An id: a number, or a string of digits (PHP back ends send both). */
export const IdSchema = z.union([
  z.int(),
  z.pipe(
    z.string().check(z.regex(/^\d+$/, 'expected an id')),
    z.transform((s) => Number(s)),
  ),
])

/** A count or page number, as leniently as an id. */
const count = IdSchema

/** A text the bridge reads: a string, a number written as one, or absent. */
const usedText = z.nullish(
  z.union([
    z.string(),
    z.pipe(
      z.number(),
      z.transform((n) => String(n)),
    ),
  ]),
)

/** Whatever Udesk sends for a field the bridge does not read. */
const untyped = z.optional(z.unknown())

/** Every answer: `code` 1000 is success; anything else is an error with a `message`. */
export const EnvelopeSchema = z.looseObject({
  code: z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]),
  message: untyped,
  /** Some refusals ("Unknown error") carry the detail here. */
  exception: z.catchUndefined(z.nullish(z.looseObject({ message: untyped }))),
})
export type Envelope = z.infer<typeof EnvelopeSchema>

/** Answers that carry nothing beyond success (delete, clear uploads, take survey). */
export const DoneSchema = z.looseObject({ code: untyped })

export const MetaSchema = z.looseObject({
  current_page: count,
  total_pages: count,
  total_count: z.nullish(count),
})
export type Meta = z.infer<typeof MetaSchema>

/** Files: the bridge finds an earlier upload by its name. */
export const AttachmentSchema = z.looseObject({
  name: usedText,
  file_name: usedText,
  url: usedText,
})
export type Attachment = z.infer<typeof AttachmentSchema>

/** Custom fields by name; PHP encodes an empty map as `[]`. */
const customFields = z.nullish(
  z.union([
    z.record(z.string(), z.unknown()),
    z.pipe(
      z.array(z.unknown()),
      z.transform((): Record<string, unknown> => ({})),
    ),
  ]),
)

/**
 * "Data Structure of Work Order": detail, list, tickets in filter and export. The bridge reads
 * the id, the content and custom fields (its reference) and the attachments' names.
 */
export const TicketSchema = z.looseObject({
  id: IdSchema,
  subject: usedText,
  content: usedText,
  status: usedText,
  status_en: usedText,
  priority: usedText,
  /** Read by the two-way watch: a change means new agent replies to look at. */
  agent_replied_at: z.catchUndefined(usedText),
  custom_fields: customFields,
  attachments: z.nullish(z.array(AttachmentSchema)),
})
export type Ticket = z.infer<typeof TicketSchema>

/**
 * A ticket as the two-way sweep reads it from the filter export (`GET /tickets/export`): only
 * its id, status and `agent_replied_at`. The export lists every ticket the filter selects, most
 * of them not the bridge's, so a field the sweep does not read (subject, content, custom
 * fields, attachments, in whatever shape) passes untyped, and an odd status reads as absent
 * (the ticket is then left out of the listing): neither fails the listing for every watch.
 */
export const ListedTicketSchema = z.looseObject({
  id: IdSchema,
  status: z.catchUndefined(usedText),
  status_en: z.catchUndefined(usedText),
  agent_replied_at: z.catchUndefined(usedText),
})
export type ListedTicket = z.infer<typeof ListedTicketSchema>

/** `PUT /tickets/:id` answers another shape; the bridge reads none of it beyond the id. */
export const UpdatedTicketSchema = z.looseObject({
  id: z.nullish(IdSchema),
  status_id: untyped,
  custom_fields: untyped,
  tags: untyped,
})
export type UpdatedTicket = z.infer<typeof UpdatedTicketSchema>

/** List answers wrap each ticket: `contents: [{ ticket: {...} }]`. */
export const TicketContentsSchema = z.array(z.looseObject({ ticket: TicketSchema }))

/**
 * A reply: its id and content (where the bridge's reference is looked for), and what the
 * two-way watch forwards of an agent's public reply (time, format, author, files).
 */
export const ReplySchema = z.looseObject({
  id: z.nullish(IdSchema),
  content: usedText,
  content_format: usedText,
  function_type: usedText,
  created_at: usedText,
  // Only the two-way watch reads these: an odd type there must never fail the reference
  // look-ups that keep delivery exactly-once, so it reads as absent instead.
  author: z.catchUndefined(
    z.nullish(z.looseObject({ id: z.nullish(IdSchema), user_type: usedText, nick_name: usedText })),
  ),
  attachments: z.catchUndefined(z.nullish(z.array(AttachmentSchema))),
})
export type Reply = z.infer<typeof ReplySchema>

export const ChangeLogSchema = z.looseObject({
  id: z.nullish(IdSchema),
  created_at: untyped,
  author: untyped,
  changes: z.nullish(z.array(z.unknown())),
})
export type ChangeLog = z.infer<typeof ChangeLogSchema>

/** A custom field's name (what ticket fields are keyed by); options and the rest untyped. */
export const CustomFieldSchema = z.looseObject({
  field_name: z.string(),
  field_label: usedText,
  content_type: usedText,
  options: untyped,
  requirement: untyped,
})
export type CustomField = z.infer<typeof CustomFieldSchema>

export const TemplateSchema = z.looseObject({
  id: IdSchema,
  name: usedText,
  custom_fields: untyped,
})
export type Template = z.infer<typeof TemplateSchema>

export const FilterSchema = z.looseObject({
  id: IdSchema,
  name: usedText,
  active: untyped,
})
export type Filter = z.infer<typeof FilterSchema>

/** `upload_file` and `upload_file_for_reply` answer in `message`, an object here. */
export const UploadResultSchema = z.looseObject({
  attachment_id: IdSchema,
  url: usedText,
})

export const SurveySchema = z.looseObject({
  title: usedText,
  enable: untyped,
  options: untyped,
})
export type Survey = z.infer<typeof SurveySchema>

/** A customer as `POST /customers` and `get_customer` answer it (docs/udesk-api.md). */
export const CustomerSchema = z.looseObject({
  id: IdSchema,
  email: usedText,
  nick_name: usedText,
  cellphones: untyped,
  web_token: untyped,
})
export type Customer = z.infer<typeof CustomerSchema>
