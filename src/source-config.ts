import * as z from './zod'
import { PrioritySchema, TicketOptionsSchema } from './ticket-event'

/*
 * Each source's options, as one entry of `SOURCES` (README "Sources"): the schemas config.ts
 * validates the whole configuration with, apart from the settings that are not per source.
 */

/** Options every source accepts. `secret` names the binding holding the source's secret(s). */
const SourceBase = {
  secret: z.optional(z.string()),
  /** Largest body accepted, in bytes (413 above it). */
  maxBodyBytes: z.optional(z.int().check(z.positive())),
  /** Priority, tags, template, agent group and custom fields for the tickets it opens. */
  ticket: z._default(TicketOptionsSchema, {}),
  /** Its share of the Udesk budget: by default alerts `high`, forms `low`, others `normal`. */
  deliveryPriority: z.optional(z.enum(['high', 'normal', 'low'])),
}

export const FormSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('form'),
  honeypot: z._default(z.string(), '_gotcha'),
  /** Origins allowed to post (CORS); `*` allows any. */
  allowedOrigins: z._default(z.array(z.string()), ['*']),
  /** Where a browser goes after posting; the built-in thank-you page when absent. */
  thankYouUrl: z.optional(z.url()),
  subject: z._default(z.string().check(z.trim(), z.minLength(1)), 'Website contact form'),
  /** Binding holding the Cloudflare Turnstile secret key; Turnstile is off without it. */
  turnstileSecret: z.optional(z.string()),
  /** Fields one submission may send, and values under one name: 413 above (counted first). */
  maxFields: z._default(z.int().check(z.positive()), 200),
  maxValuesPerName: z._default(z.int().check(z.positive()), 100),
  /** Origins a `_next` field may send the browser to after posting; any other is ignored. */
  allowedRedirects: z._default(z.array(z.url()), []),
  /** Form field name -> Udesk custom field id (e.g. `TextField_1`). */
  fieldMap: z._default(z.record(z.string(), z.string()), {}),
})

export const SlackChannelSchema = z.object({ customerEmail: z.email() })

export const SlackSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('slack'),
  secret: z.string(),
  /** Channel id -> fixed customer (a shared channel with one client). */
  channels: z._default(z.record(z.string(), SlackChannelSchema), {}),
  /**
   * The workspace's address (`https://acme.slack.com`): a ticket opened from a reply in a
   * thread the bridge never saw links to that thread.
   */
  workspaceUrl: z.optional(z.url({ protocol: /^https$/ })),
  /** Slash commands that open a ticket (`/ticket Our dashboard shows no data`). */
  commands: z._default(z.array(z.string().check(z.regex(/^\/[\w-]{1,31}$/))), ['/ticket']),
})

/**
 * Severity (lowercased) -> priority; the highest among firing alerts wins. Looked up with
 * `ownValue`: severities are sender-chosen (`constructor` is no severity).
 */
export const SeverityPrioritySchema = z._default(z.record(z.string(), PrioritySchema), {
  critical: 'urgent',
  error: 'high',
  warning: 'high',
  info: 'low',
})

/** README "Sources": one way an alert source authenticates; the secret is the credential. */
export const AlertAuthModeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer') }),
  /** HTTP Basic: the password is the secret; the username is checked only when configured. */
  z.object({ type: z.literal('basic'), username: z.optional(z.string()) }),
  /** `Authorization: <scheme> <secret>` (Alertmanager's `authorization.type`). */
  z.object({
    type: z.literal('authorization'),
    scheme: z.string().check(z.regex(/^[\w!#$%&'*+.^`|~-]+$/)),
  }),
  /**
   * Grafana's HMAC (`hmacConfig`): hex HMAC-SHA256 in `header`, over `{timestamp}:{body}` when
   * `timestampHeader` names a header, else (`""`) over the body alone: then no freshness window.
   */
  z.object({
    type: z.literal('grafana-hmac'),
    header: z._default(z.string(), 'X-Grafana-Alerting-Signature'),
    timestampHeader: z._default(z.string(), 'X-Grafana-Alerting-Signature-Timestamp'),
  }),
])
export type AlertAuthMode = z.infer<typeof AlertAuthModeSchema>

/** One mode, or several a request may use (bearer and basic while senders move over). */
export const AlertAuthSchema = z.pipe(
  z.union([AlertAuthModeSchema, z.array(AlertAuthModeSchema).check(z.minLength(1))]),
  z.transform((auth) => (Array.isArray(auth) ? auth : [auth])),
)
export type AlertAuth = z.infer<typeof AlertAuthSchema>

const AlertSourceFields = {
  ...SourceBase,
  secret: z.string(),
  auth: z._default(AlertAuthSchema, [{ type: 'bearer' }]),
  severityPriority: SeverityPrioritySchema,
  /**
   * Extra thread-key parts: `externalURL`, or a label name (from the group's common labels),
   * so two clusters or senders on one source get tickets of their own.
   */
  threadBy: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** How long after a recorded end another sender's firing counts as stale (HA peers), s. */
  haWindowSeconds: z._default(z.int().check(z.nonnegative()), 60),
  /**
   * How long the exact redelivery of a group's last notification is answered duplicate by the
   * isolate that queued it, s (it is queued all the same).
   */
  replayTtlSeconds: z._default(z.int().check(z.gte(60)), 600),
}

export const AlertmanagerSourceSchema = z.object({
  ...AlertSourceFields,
  kind: z.literal('alertmanager'),
})

export const GrafanaSourceSchema = z.object({
  ...AlertSourceFields,
  kind: z.literal('grafana'),
})

export const WebhookSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('webhook'),
  secret: z.string(),
})

export const SourceConfigSchema = z.discriminatedUnion('kind', [
  FormSourceSchema,
  SlackSourceSchema,
  AlertmanagerSourceSchema,
  GrafanaSourceSchema,
  WebhookSourceSchema,
])
export type SourceConfig = z.infer<typeof SourceConfigSchema>
export type SourceKind = SourceConfig['kind']
export type FormSource = z.infer<typeof FormSourceSchema>
export type SlackSource = z.infer<typeof SlackSourceSchema>
export type AlertmanagerSource = z.infer<typeof AlertmanagerSourceSchema>
export type GrafanaSource = z.infer<typeof GrafanaSourceSchema>
export type WebhookSource = z.infer<typeof WebhookSourceSchema>
