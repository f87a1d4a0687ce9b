import { z } from 'zod'
import { PrioritySchema, TicketOptionsSchema } from './ticket-event'

const KIB = 1024
const MIB = 1024 * KIB

/** Options every source accepts. `secret` names the binding holding the source's secret(s). */
const SourceBase = {
  secret: z.string().optional(),
  /** Largest body accepted, in bytes (413 above it). */
  maxBodyBytes: z.number().int().positive().optional(),
  /** Priority, tags, template, agent group and custom fields for the tickets it opens. */
  ticket: TicketOptionsSchema.default({}),
}

export const FormSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('form'),
  honeypot: z.string().default('_gotcha'),
  /** Origins allowed to post (CORS); `*` allows any. */
  allowedOrigins: z.array(z.string()).default(['*']),
  /** Where a browser goes after posting; the built-in thank-you page when absent. */
  thankYouUrl: z.url().optional(),
  subject: z.string().trim().min(1).default('Website contact form'),
  /** Binding holding the Cloudflare Turnstile secret key; Turnstile is off without it. */
  turnstileSecret: z.string().optional(),
  /** Form field name -> Udesk custom field id (e.g. `TextField_1`). */
  fieldMap: z.record(z.string(), z.string()).default({}),
})

export const SlackChannelSchema = z.object({ customerEmail: z.email() })

export const SlackSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('slack'),
  secret: z.string(),
  /** Channel id -> fixed customer (a shared channel with one client). */
  channels: z.record(z.string(), SlackChannelSchema).default({}),
})

export const SeverityPrioritySchema = z
  .record(z.string(), PrioritySchema)
  .default({ critical: 'urgent', warning: 'high', info: 'low' })

export const AlertmanagerSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('alertmanager'),
  secret: z.string(),
  severityPriority: SeverityPrioritySchema,
})

export const GrafanaSourceSchema = z.object({
  ...SourceBase,
  kind: z.literal('grafana'),
  secret: z.string(),
  severityPriority: SeverityPrioritySchema,
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

const intFromString = (fallback: number) => z.coerce.number().int().positive().default(fallback)

const SourcesSchema = z.preprocess(
  (value) => (typeof value === 'string' ? JSON.parse(value) : value),
  z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i), SourceConfigSchema),
)

export const ConfigSchema = z.object({
  UDESK_BASE_URL: z.url(),
  UDESK_EMAIL: z.email(),
  UDESK_API_TOKEN: z.string().min(1),
  UDESK_MAX_REQUESTS_PER_MINUTE: intFromString(60),
  UDESK_TIMEOUT_MS: intFromString(10_000),
  /** The agent internal notes are written as (Udesk's agent_reply requires one). */
  UDESK_AGENT_ID: intFromString(1),
  /** Optional Udesk custom field that carries the bridge's event reference on each ticket. */
  UDESK_REFERENCE_FIELD: z.string().optional(),
  REPLAY_TTL_SECONDS: intFromString(7 * 24 * 3600),
  DELIVERY_MAX_ATTEMPTS: intFromString(20),
  /** Backoff between delivery attempts: full jitter under base * 2^attempt, capped. */
  DELIVERY_RETRY_BASE_SECONDS: intFromString(2),
  DELIVERY_RETRY_MAX_SECONDS: intFromString(1800),
  /** How long a reply or resolve waits for its thread's ticket before it is dead-lettered. */
  DELIVERY_PENDING_WAIT_SECONDS: intFromString(24 * 3600),
  /** How long a thread remembers an applied event id (a queue redelivery may still come). */
  DELIVERY_REDELIVERY_HORIZON_SECONDS: intFromString(7 * 24 * 3600),
  /** At most this many applied event ids per thread, the newest (bounds a chatty thread). */
  DELIVERY_APPLIED_MAX_RECORDS: intFromString(1000),
  MAX_BODY_BYTES: intFromString(MIB),
  MAX_MULTIPART_BYTES: intFromString(20 * MIB),
  /** Cloudflare Turnstile's siteverify endpoint (tests point it at the simulator's double). */
  TURNSTILE_VERIFY_URL: z
    .url()
    .default('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
  /** Bearer token for /admin; the admin endpoints answer 404 when it is not set. */
  ADMIN_TOKEN: z.string().min(12).optional(),
  SOURCES: SourcesSchema,
})

export type Config = z.infer<typeof ConfigSchema> & {
  /** Secret values per source name, already split for rotation (space separated). */
  secrets: Record<string, string[]>
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const cache = new WeakMap<object, Config>()

/** Validates vars and secrets once per isolate; a bad setting fails with the field's name. */
export function loadConfig(env: Env): Config {
  const cached = cache.get(env)
  if (cached) return cached
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`invalid configuration: ${fields.join('; ')}`)
  }
  const config: Config = { ...parsed.data, secrets: readSourceSecrets(env, parsed.data.SOURCES) }
  cache.set(env, config)
  return config
}

function readSourceSecrets(env: Env, sources: Record<string, SourceConfig>) {
  const raw = env as unknown as Record<string, unknown>
  const secrets: Record<string, string[]> = {}
  const problems: string[] = []
  for (const [name, source] of Object.entries(sources)) {
    for (const binding of [
      source.secret,
      source.kind === 'form' ? source.turnstileSecret : undefined,
    ]) {
      if (!binding) continue
      const value = raw[binding]
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`SOURCES.${name}: secret binding ${binding} is not set`)
        continue
      }
      if (binding === source.secret) secrets[name] = value.trim().split(/\s+/)
      else secrets[`${name}:turnstile`] = [value.trim()]
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  return secrets
}
