import * as z from 'zod'
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
export const TicketRefSchema = z.union([
  z.object({ id: z.number().int() }),
  z.object({ num: z.string() }),
])
export type TicketRef = z.infer<typeof TicketRefSchema>

export const CreateTicketInputSchema = z.object({
  subject: z.string(),
  /** Udesk stores and shows it as HTML: only `src/content/` makes an `Html`. */
  content: HtmlSchema,
  customer: CustomerLookupSchema.optional(),
  /** Sent as Udesk's Chinese name; Udesk's default is `标准` (medium). */
  priority: PrioritySchema.optional(),
  assigneeEmail: z.string().optional(),
  agentGroupName: z.string().optional(),
  templateId: z.number().int().optional(),
  followerIds: z.array(z.number().int()).optional(),
  /** Joined with commas, as Udesk wants them. */
  tags: z.array(z.string()).optional(),
  statusId: z.number().int().optional(),
  /** Custom fields by identifier (`TextField_1`); selections are option indexes. */
  fields: z.record(z.string(), z.string()).optional(),
  creatorEmail: z.string().optional(),
})
export type CreateTicketInput = z.infer<typeof CreateTicketInputSchema>

export const UpdateTicketInputSchema = z.object({
  /** The reference marks it required on update. */
  subject: z.string().optional(),
  content: HtmlSchema.optional(),
  agentId: z.number().int().optional(),
  agentGroupId: z.number().int().optional(),
  templateId: z.number().int().optional(),
  statusId: z.number().int().optional(),
  /** Sent as `priority_id`. */
  priority: PrioritySchema.optional(),
  followerIds: z.array(z.number().int()).optional(),
  /** Text fields are strings, selections arrays of option indexes. */
  customFields: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  tags: z.array(z.string()).optional(),
})
export type UpdateTicketInput = z.infer<typeof UpdateTicketInputSchema>

/** `customer_id_type`/`customer_id_value`: the customer to attach on update. */
export const CustomerIdentifierSchema = z.object({
  type: z.string(),
  value: z.string(),
})
export type CustomerIdentifier = z.infer<typeof CustomerIdentifierSchema>

export const ListTicketsQuerySchema = z.object({
  customer: CustomerLookupSchema.optional(),
  /** Default 20, at most 100. */
  perPage: z.number().int().optional(),
  page: z.number().int().optional(),
})
export type ListTicketsQuery = z.infer<typeof ListTicketsQuerySchema>

/** Page size for replies and change logs: Udesk clamps it to 20..100. */
export const PageQuerySchema = z.object({
  perPage: z.number().int().optional(),
  page: z.number().int().optional(),
})
export type PageQuery = z.infer<typeof PageQuerySchema>

export const ListFiltersQuerySchema = PageQuerySchema.extend({
  type: z.enum(['agent', 'agent_group', 'all']).optional(),
  id: z.number().int().optional(),
})
export type ListFiltersQuery = z.infer<typeof ListFiltersQuerySchema>

const ReplyBase = {
  content: HtmlSchema,
  /** From `uploadFileForReply`; valid for two hours after the upload. */
  attachmentIds: z.array(z.number().int()).optional(),
}

export const AgentReplyInputSchema = z.intersection(
  TicketRefSchema,
  z.object({
    ...ReplyBase,
    functionType: z.enum(['internal', 'external']),
    /** The replying agent (Udesk requires one); defaults to the client's `agentId` option. */
    agentId: z.number().int().optional(),
    cc: z.array(z.string()).optional(),
    ccCustomer: z.array(z.string()).optional(),
  }),
)
export type AgentReplyInput = z.infer<typeof AgentReplyInputSchema>

export const CustomerReplyInputSchema = z.intersection(
  TicketRefSchema,
  z.object({ ...ReplyBase, contentType: z.enum(['text', 'html']) }),
)
export type CustomerReplyInput = z.infer<typeof CustomerReplyInputSchema>

export const CreateCustomerInputSchema = z.object({
  email: z.string().optional(),
  nickName: z.string().optional(),
  cellphones: z.array(z.string()).optional(),
  description: z.string().optional(),
  /** External identifier; tickets find it with `type: 'customer_token'`. */
  webToken: z.string().optional(),
})
export type CreateCustomerInput = z.infer<typeof CreateCustomerInputSchema>

export const UploadFileInputSchema = z.object({
  ticketId: z.number().int(),
  /** With its extension: Udesk cannot recognise the file otherwise. */
  fileName: z.string(),
  body: z.custom<BodyInit>((value) => value !== null && value !== undefined),
  /** The file's MIME type, sent as `type`; the body itself is always octet-stream. */
  contentType: z.string().optional(),
})
export type UploadFileInput = z.infer<typeof UploadFileInputSchema>

export const TakeSurveyInputSchema = z.object({
  ticketId: z.number().int(),
  voteNumber: z.number().int(),
  voteDesc: z.string().optional(),
})
export type TakeSurveyInput = z.infer<typeof TakeSurveyInputSchema>
