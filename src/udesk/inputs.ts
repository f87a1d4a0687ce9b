import * as z from '../zod'
import { HtmlSchema } from '../content/html'
import { PrioritySchema } from '../ticket-event'

/**
 * What callers pass to the client, camelCase; the client turns each into the request the
 * reference documents. Limits are left to Udesk, so its own refusals reach the caller.
 */

/** `type`/`type_content`: how Udesk finds a customer (create ticket, list, get_customer). */
export const CustomerLookupSchema = z.object({
  type: z.enum(['email', 'cellphone', 'customer_token', 'customer_id']),
  content: z.string(),
})
export type CustomerLookup = z.infer<typeof CustomerLookupSchema>

/** A ticket by id or by number (`#848`); the reference forbids passing both. */
export const TicketRefSchema = z.union([z.object({ id: z.int() }), z.object({ num: z.string() })])
export type TicketRef = z.infer<typeof TicketRefSchema>

export const CreateTicketInputSchema = z.object({
  subject: z.string(),
  /** Udesk stores and shows it as HTML: only `src/content/` makes an `Html`. */
  content: HtmlSchema,
  customer: z.optional(CustomerLookupSchema),
  /** Sent as Udesk's Chinese name; Udesk's default is `标准` (medium). */
  priority: z.optional(PrioritySchema),
  assigneeEmail: z.optional(z.string()),
  agentGroupName: z.optional(z.string()),
  templateId: z.optional(z.int()),
  followerIds: z.optional(z.array(z.int())),
  /** Joined with commas, as Udesk wants them. */
  tags: z.optional(z.array(z.string())),
  statusId: z.optional(z.int()),
  /** Custom fields by identifier (`TextField_1`); selections are option indexes. */
  fields: z.optional(z.record(z.string(), z.string())),
  creatorEmail: z.optional(z.string()),
})
export type CreateTicketInput = z.infer<typeof CreateTicketInputSchema>

export const UpdateTicketInputSchema = z.object({
  /** The reference marks it required on update. */
  subject: z.optional(z.string()),
  content: z.optional(HtmlSchema),
  agentId: z.optional(z.int()),
  agentGroupId: z.optional(z.int()),
  templateId: z.optional(z.int()),
  statusId: z.optional(z.int()),
  /** Sent as `priority_id`. */
  priority: z.optional(PrioritySchema),
  followerIds: z.optional(z.array(z.int())),
  /** Text fields are strings, selections arrays of option indexes. */
  customFields: z.optional(z.record(z.string(), z.union([z.string(), z.array(z.string())]))),
  tags: z.optional(z.array(z.string())),
})
export type UpdateTicketInput = z.infer<typeof UpdateTicketInputSchema>

/** `customer_id_type`/`customer_id_value`: the customer to attach on update. */
export const CustomerIdentifierSchema = z.object({
  type: z.string(),
  value: z.string(),
})
export type CustomerIdentifier = z.infer<typeof CustomerIdentifierSchema>

export const ListTicketsQuerySchema = z.object({
  customer: z.optional(CustomerLookupSchema),
  /** Default 20, at most 100. */
  perPage: z.optional(z.int()),
  page: z.optional(z.int()),
})
export type ListTicketsQuery = z.infer<typeof ListTicketsQuerySchema>

/** Page size for replies and change logs: Udesk clamps it to 20..100. */
export const PageQuerySchema = z.object({
  perPage: z.optional(z.int()),
  page: z.optional(z.int()),
})
export type PageQuery = z.infer<typeof PageQuerySchema>

export const ListFiltersQuerySchema = z.extend(PageQuerySchema, {
  type: z.optional(z.enum(['agent', 'agent_group', 'all'])),
  id: z.optional(z.int()),
})
export type ListFiltersQuery = z.infer<typeof ListFiltersQuerySchema>

const ReplyBase = {
  content: HtmlSchema,
  /** From `uploadFileForReply`; valid for two hours after the upload. */
  attachmentIds: z.optional(z.array(z.int())),
}

export const AgentReplyInputSchema = z.intersection(
  TicketRefSchema,
  z.object({
    ...ReplyBase,
    functionType: z.enum(['internal', 'external']),
    /** The replying agent (Udesk requires one); defaults to the client's `agentId` option. */
    agentId: z.optional(z.int()),
    cc: z.optional(z.array(z.string())),
    ccCustomer: z.optional(z.array(z.string())),
  }),
)
export type AgentReplyInput = z.infer<typeof AgentReplyInputSchema>

export const CustomerReplyInputSchema = z.intersection(
  TicketRefSchema,
  z.object({ ...ReplyBase, contentType: z.enum(['text', 'html']) }),
)
export type CustomerReplyInput = z.infer<typeof CustomerReplyInputSchema>

export const CreateCustomerInputSchema = z.object({
  email: z.optional(z.string()),
  nickName: z.optional(z.string()),
  cellphones: z.optional(z.array(z.string())),
  description: z.optional(z.string()),
  /** External identifier; tickets find it with `type: 'customer_token'`. */
  webToken: z.optional(z.string()),
})
export type CreateCustomerInput = z.infer<typeof CreateCustomerInputSchema>

export const UploadFileInputSchema = z.object({
  ticketId: z.int(),
  /** With its extension: Udesk cannot recognise the file otherwise. */
  fileName: z.string(),
  body: z.custom<BodyInit>((value) => value !== null && value !== undefined),
  /** The file's MIME type, sent as `type`; the body itself is always octet-stream. */
  contentType: z.optional(z.string()),
})
export type UploadFileInput = z.infer<typeof UploadFileInputSchema>

export const TakeSurveyInputSchema = z.object({
  ticketId: z.int(),
  voteNumber: z.int(),
  voteDesc: z.optional(z.string()),
})
export type TakeSurveyInput = z.infer<typeof TakeSurveyInputSchema>
