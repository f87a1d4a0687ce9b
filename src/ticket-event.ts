import * as z from './zod'

/** Udesk's four priorities, by the names senders use (Udesk's ids 1-4). */
export const PrioritySchema = z.enum(['urgent', 'high', 'medium', 'low'])
export type Priority = z.infer<typeof PrioritySchema>

/** Who the ticket is for. Udesk finds the customer by the first of email, phone, token. */
export const CustomerSchema = z.object({
  email: z.optional(z.email()),
  name: z.optional(z.string().check(z.maxLength(255))),
  phone: z.optional(z.string().check(z.maxLength(64))),
  /** External identifier (Udesk `web_token` / `customer_token`), e.g. `slack:T1:U1`. */
  token: z.optional(z.string().check(z.maxLength(255))),
})
export type Customer = z.infer<typeof CustomerSchema>

/** A file held in KV until delivery uploads it to the ticket (`upload_file`). */
export const AttachmentRefSchema = z.object({
  key: z.string(),
  name: z.string(),
  size: z.int().check(z.nonnegative()),
  contentType: z.string(),
})
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>

/** Ticket settings a source adds to what the sender gave. */
export const TicketOptionsSchema = z.object({
  priority: z.optional(PrioritySchema),
  tags: z.optional(z.array(z.string())),
  templateId: z.optional(z.int()),
  agentGroup: z.optional(z.string()),
  assigneeEmail: z.optional(z.string()),
  fields: z.optional(z.record(z.string(), z.union([z.string(), z.array(z.string())]))),
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
  id: z.string().check(z.minLength(1)),
  /** Source name from config. */
  source: z.string().check(z.minLength(1)),
  /** Thread key within the source; one Udesk ticket per (source, thread). */
  thread: z.string().check(z.minLength(1), z.maxLength(512)),
  /** When the bridge received it (ms since epoch); orders events of one thread. */
  receivedAt: z.number(),
}

export const OpenEventSchema = z.object({
  ...EventBase,
  type: z.literal('open'),
  subject: z.string().check(z.minLength(1)),
  content: z.string().check(z.minLength(1)),
  format: z.optional(ContentFormatSchema),
  /**
   * Written above the content only when this event opens the ticket (a Slack reply whose
   * thread the bridge never saw); when the thread already has a ticket it is a plain reply.
   */
  preface: z.optional(z.string().check(z.maxLength(1000))),
  customer: z.optional(CustomerSchema),
  ticket: z.optional(TicketOptionsSchema),
  attachments: z.optional(z.array(AttachmentRefSchema)),
  /**
   * A Slack slash command's `response_url`: the ticket's number is posted there once Udesk made
   * the ticket (src/slack/command-follow-up.ts checks where it points before any request).
   */
  slackResponseUrl: z.optional(z.string().check(z.maxLength(2048))),
})

/** A follow-up: a customer reply when the ticket has a customer, else an internal note. */
export const ReplyEventSchema = z.object({
  ...EventBase,
  type: z.literal('reply'),
  content: z.string().check(z.minLength(1)),
  format: z.optional(ContentFormatSchema),
  attachments: z.optional(z.array(AttachmentRefSchema)),
})

export const ResolveEventSchema = z.object({
  ...EventBase,
  type: z.literal('resolve'),
  content: z.optional(z.string()),
})

/** Alerts one event may carry: a group of 10,000 travels by reference (queue-message.ts). */
export const MAX_ALERTS_PER_EVENT = 10_000

/** One alert of a notification: its identity, status and own times, and its priority. */
export const AlertReportSchema = z.object({
  /** Fingerprint, or a hash of the sorted labels when the sender gives none. */
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  status: z.enum(['firing', 'resolved']),
  /** The alert's own start and (resolved) end, ms since epoch. */
  startsAt: z.number(),
  endsAt: z.optional(z.number()),
  /** Its severity's priority; absent for an unknown severity (the source default then). */
  priority: z.optional(PrioritySchema),
})

/**
 * One notification of an alert group (Alertmanager/Grafana send the group's alerts each time):
 * the thread's coordinator merges its alerts into the group's per-alert state and decides.
 * Subject and content are plain text.
 */
export const AlertEventSchema = z.object({
  ...EventBase,
  type: z.literal('alert'),
  status: z.enum(['firing', 'resolved']),
  subject: z.string().check(z.minLength(1)),
  content: z.string().check(z.minLength(1)),
  /** The reporting instance (`externalURL`; '' when none): HA peers differ in it. */
  sender: z._default(z.string().check(z.maxLength(2048)), ''),
  alerts: z.array(AlertReportSchema).check(z.maxLength(MAX_ALERTS_PER_EVENT)),
  /** Grafana's Test button. */
  test: z.optional(z.boolean()),
  /** Source defaults (priority: for alerts of unknown severity). */
  ticket: z.optional(TicketOptionsSchema),
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
export type AlertReport = z.infer<typeof AlertReportSchema>
