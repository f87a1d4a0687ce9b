import { z } from 'zod'

/** Udesk's four priorities, by the names senders use (Udesk's ids 1-4). */
export const PrioritySchema = z.enum(['urgent', 'high', 'medium', 'low'])
export type Priority = z.infer<typeof PrioritySchema>

/** Who the ticket is for. Udesk finds the customer by the first of email, phone, token. */
export const CustomerSchema = z.object({
  email: z.email().optional(),
  name: z.string().max(255).optional(),
  phone: z.string().max(64).optional(),
  /** External identifier (Udesk `web_token` / `customer_token`), e.g. `slack:T1:U1`. */
  token: z.string().max(255).optional(),
})
export type Customer = z.infer<typeof CustomerSchema>

/** A file held in KV until delivery uploads it to the ticket (`upload_file`). */
export const AttachmentRefSchema = z.object({
  key: z.string(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  contentType: z.string(),
})
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>

/** Ticket settings a source adds to what the sender gave. */
export const TicketOptionsSchema = z.object({
  priority: PrioritySchema.optional(),
  tags: z.array(z.string()).optional(),
  templateId: z.number().int().optional(),
  agentGroup: z.string().optional(),
  assigneeEmail: z.string().optional(),
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
})
export type TicketOptions = z.infer<typeof TicketOptionsSchema>

/**
 * How `content` is written: `text` as the sender typed it (the default), `slack` in Slack's
 * message markup. Content is always the sender's text; delivery renders it to HTML.
 */
export const ContentFormatSchema = z.enum(['text', 'slack'])
export type ContentFormat = z.infer<typeof ContentFormatSchema>

const EventBase = {
  /** Unique and deterministic per delivery: a replayed delivery yields the same ids. */
  id: z.string().min(1),
  /** Source name from config. */
  source: z.string().min(1),
  /** Thread key within the source; one Udesk ticket per (source, thread). */
  thread: z.string().min(1).max(512),
  /** When the bridge received it (ms since epoch); orders events of one thread. */
  receivedAt: z.number(),
}

export const OpenEventSchema = z.object({
  ...EventBase,
  type: z.literal('open'),
  subject: z.string().min(1),
  content: z.string().min(1),
  format: ContentFormatSchema.optional(),
  /**
   * Written above the content only when this event opens the ticket (a Slack reply whose
   * thread the bridge never saw); when the thread already has a ticket it is a plain reply.
   */
  preface: z.string().max(1000).optional(),
  customer: CustomerSchema.optional(),
  ticket: TicketOptionsSchema.optional(),
  attachments: z.array(AttachmentRefSchema).optional(),
})

/** A follow-up: a customer reply when the ticket has a customer, else an internal note. */
export const ReplyEventSchema = z.object({
  ...EventBase,
  type: z.literal('reply'),
  content: z.string().min(1),
  format: ContentFormatSchema.optional(),
  attachments: z.array(AttachmentRefSchema).optional(),
})

export const ResolveEventSchema = z.object({
  ...EventBase,
  type: z.literal('resolve'),
  content: z.string().optional(),
})

/**
 * The whole current state of an alert group (Alertmanager/Grafana send the full group each
 * time): the coordinator compares it with the last state it applied.
 */
export const AlertEventSchema = z.object({
  ...EventBase,
  type: z.literal('alert'),
  status: z.enum(['firing', 'resolved']),
  subject: z.string().min(1),
  content: z.string().min(1),
  /** One entry per alert currently in the group: fingerprint + startsAt, and its status. */
  alerts: z.array(z.object({ key: z.string(), status: z.enum(['firing', 'resolved']) })),
  ticket: TicketOptionsSchema.optional(),
})

export const TicketEventSchema = z.discriminatedUnion('type', [
  OpenEventSchema,
  ReplyEventSchema,
  ResolveEventSchema,
  AlertEventSchema,
])
export type TicketEvent = z.infer<typeof TicketEventSchema>
export type OpenEvent = z.infer<typeof OpenEventSchema>
export type ReplyEvent = z.infer<typeof ReplyEventSchema>
export type ResolveEvent = z.infer<typeof ResolveEventSchema>
export type AlertEvent = z.infer<typeof AlertEventSchema>
