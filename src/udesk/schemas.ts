import * as z from 'zod'

/**
 * Udesk's answers, as Udesk documents them (docs/udesk-api.md). Objects are loose (unknown fields
 * pass through) and optional fields are nullish: Udesk adds fields and sends null freely, and
 * only what the bridge reads is checked strictly.
 */

const text = z.string().nullish()
const int = z.number().int().nullish()

/** Every answer: `code` 1000 is success; anything else is an error with a `message`. */
export const EnvelopeSchema = z.looseObject({
  code: z.number(),
  message: z.unknown().optional(),
  /** Some refusals ("Unknown error") carry the detail here. */
  exception: z.looseObject({ message: z.unknown().optional() }).nullish(),
})
export type Envelope = z.infer<typeof EnvelopeSchema>

/** Answers that carry nothing beyond success (delete, clear uploads, take survey). */
export const DoneSchema = z.looseObject({ code: z.literal(1000) })

export const MetaSchema = z.looseObject({
  current_page: z.number().int(),
  total_pages: z.number().int(),
  total_count: z.number().int(),
})
export type Meta = z.infer<typeof MetaSchema>

export const AttachmentSchema = z.looseObject({
  name: text,
  file_name: text,
  url: z.string(),
  file_size: int,
})
export type Attachment = z.infer<typeof AttachmentSchema>

const FollowerSchema = z.looseObject({ id: z.number(), nick_name: text, avatar: text })

/** "Data Structure of Work Order": detail, list, tickets in filter and export. */
export const TicketSchema = z.looseObject({
  id: z.number().int(),
  field_num: z.string(),
  subject: z.string(),
  content: text,
  content_type: text,
  user_id: int,
  user_name: text,
  user_email: text,
  user_cellphone: text,
  organization_id: int,
  assignee_id: int,
  assignee_name: text,
  user_group_id: int,
  user_group_name: text,
  template_id: int,
  priority: text,
  status: text,
  status_en: text,
  platform: text,
  satisfaction: z.unknown().optional(),
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
  tags: text,
  followers: z.array(FollowerSchema).nullish(),
  attachments: z.array(AttachmentSchema).nullish(),
  creator_id: int,
  created_at: text,
  updated_at: text,
  solving_at: text,
  resolved_at: text,
  closed_at: text,
  solved_deadline: text,
  replied_at: text,
  agent_replied_at: text,
  customer_replied_at: text,
  replied_by: text,
  associated_tickets: z.array(z.looseObject({ id: z.number(), field_num: text })).nullish(),
})
export type Ticket = z.infer<typeof TicketSchema>

/** `PUT /tickets/:id` answers another shape: agent/customer names, tags as objects. */
export const UpdatedTicketSchema = z.looseObject({
  id: z.number().int(),
  field_num: z.string(),
  subject: z.string(),
  content: text,
  customer_id: int,
  customer_name: text,
  agent_id: int,
  agent_group_id: int,
  template_id: int,
  priority: text,
  status: text,
  status_id: int,
  status_en: text,
  platform_name: text,
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
  tags: z.array(z.looseObject({ id: z.number().nullish(), name: z.string() })).nullish(),
  followers: z.array(FollowerSchema).nullish(),
  attachments: z.array(AttachmentSchema).nullish(),
})
export type UpdatedTicket = z.infer<typeof UpdatedTicketSchema>

/** List answers wrap each ticket: `contents: [{ ticket: {...} }]`. */
export const TicketContentsSchema = z.array(z.looseObject({ ticket: TicketSchema }))

export const AuthorSchema = z.looseObject({
  id: int,
  user_type: text,
  email: text,
  avatar: text,
  nick_name: text,
})

export const ReplySchema = z.looseObject({
  id: int,
  content: z.string(),
  content_format: text,
  created_at: text,
  function_type: text,
  cc: text,
  author: AuthorSchema.nullish(),
  attachments: z.array(AttachmentSchema).nullish(),
})
export type Reply = z.infer<typeof ReplySchema>

export const ChangeLogSchema = z.looseObject({
  id: z.number().int(),
  created_at: text,
  author: AuthorSchema.nullish(),
  changes: z.array(
    z.looseObject({
      trigger_name: text,
      field: text,
      field_name: text,
      field_type: text,
      old_value: z.unknown().optional(),
      new_value: z.unknown().optional(),
      description: text,
    }),
  ),
})
export type ChangeLog = z.infer<typeof ChangeLogSchema>

export const CustomFieldSchema = z.looseObject({
  field_name: z.string(),
  field_label: text,
  content_type: text,
  comment: text,
  options: z.array(z.record(z.string(), z.string())).nullish(),
  permission: z.unknown().optional(),
  requirement: z.boolean().nullish(),
})
export type CustomField = z.infer<typeof CustomFieldSchema>

export const TemplateSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: text,
  updated_at: text,
  custom_fields: z
    .array(
      z.looseObject({
        field_id: z.union([z.number(), z.string()]).nullish(),
        field_name: z.string(),
        field_title: text,
        field_type: text,
        field_detail: text,
      }),
    )
    .nullish(),
})
export type Template = z.infer<typeof TemplateSchema>

export const FilterSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: text,
  active: z.boolean().nullish(),
  permission: text,
  permission_id: int,
  created_at: text,
  updated_at: text,
})
export type Filter = z.infer<typeof FilterSchema>

/** `upload_file` and `upload_file_for_reply` answer in `message`, an object here. */
export const UploadResultSchema = z.looseObject({
  msg: text,
  url: z.string(),
  attachment_id: z.number().int(),
  attachable_type: text,
})

export const SurveySchema = z.looseObject({
  title: text,
  enable: z.boolean(),
  note: z.boolean().nullish(),
  options: z.array(z.looseObject({ vote_number: z.number().int(), name: z.string() })),
})
export type Survey = z.infer<typeof SurveySchema>

/** A customer as `POST /customers` and `get_customer` answer it (docs/udesk-api.md). */
export const CustomerSchema = z.looseObject({
  id: z.number().int(),
  email: text,
  nick_name: text,
  cellphones: z.unknown().optional(),
  web_token: text,
  description: text,
})
export type Customer = z.infer<typeof CustomerSchema>
