import * as z from './zod'
import { PrioritySchema, TicketOptionsSchema } from './ticket-event'

const KIB = 1024
const MIB = 1024 * KIB

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
  /** How long an exact redelivery of a group's last notification is answered duplicate, s. */
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

const intFromString = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.positive()), fallback)

const SourcesSchema = z.pipe(
  z.transform((value) => (typeof value === 'string' ? JSON.parse(value) : value)),
  z.record(z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]*$/i)), SourceConfigSchema),
)

export const ConfigSchema = z.object({
  UDESK_BASE_URL: z.url(),
  UDESK_EMAIL: z.email(),
  UDESK_API_TOKEN: z.string().check(z.minLength(1)),
  UDESK_MAX_REQUESTS_PER_MINUTE: intFromString(60),
  UDESK_TIMEOUT_MS: intFromString(10_000),
  /** The agent internal notes are written as (Udesk's agent_reply requires one). */
  UDESK_AGENT_ID: intFromString(1),
  /** Optional Udesk custom field that carries the bridge's event reference on each ticket. */
  UDESK_REFERENCE_FIELD: z.optional(z.string()),
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
  /** Alert sources' body limit: a storm of thousands of alerts is summarised, not refused. */
  MAX_ALERT_BODY_BYTES: intFromString(8 * MIB),
  /** Cloudflare Turnstile's siteverify endpoint (tests point it at the simulator's double). */
  TURNSTILE_VERIFY_URL: z._default(
    z.url(),
    'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  ),
  /** Bearer token for /admin; the admin endpoints answer 404 when it is not set. */
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(12))),
  SOURCES: SourcesSchema,
})

export type Config = z.infer<typeof ConfigSchema> & {
  /** Secret values per source name, already split for rotation (space separated). */
  secrets: Record<string, string[]>
}

/** `record[key]` only when it is the record's own entry: for keys a sender chooses. */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
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

/** Vars and options as parsed, before any secret binding is read. */
export type Settings = z.infer<typeof ConfigSchema>

/** One secret binding a source names, and whether it holds a value (never the value). */
export interface SecretBinding {
  source: string
  binding: string
  purpose: 'secret' | 'turnstile'
  set: boolean
}

/**
 * The configuration as far as it parses, for the doctor and the console: unlike `loadConfig`
 * it does not throw, and it reports each source's secret bindings as set or not, so a missing
 * secret is a finding rather than a 500.
 */
export function inspectConfig(
  env: Env,
): { ok: true; settings: Settings; secrets: SecretBinding[] } | { ok: false; problems: string[] } {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    }
  }
  const raw = env as unknown as Record<string, unknown>
  const secrets: SecretBinding[] = []
  for (const [source, options] of Object.entries(parsed.data.SOURCES)) {
    const turnstile = options.kind === 'form' ? options.turnstileSecret : undefined
    const named = [
      { binding: options.secret, purpose: 'secret' as const },
      { binding: turnstile, purpose: 'turnstile' as const },
    ]
    for (const { binding, purpose } of named) {
      if (!binding) continue
      const value = raw[binding]
      secrets.push({
        source,
        binding,
        purpose,
        set: typeof value === 'string' && value.trim() !== '',
      })
    }
  }
  return { ok: true, settings: parsed.data, secrets }
}

/** `ADMIN_TOKEN` alone, so /admin can sign an operator in while the rest of the config is bad. */
export function readAdminToken(env: Env): string | undefined {
  const token = ConfigSchema.shape.ADMIN_TOKEN.safeParse(
    (env as unknown as Record<string, unknown>).ADMIN_TOKEN,
  )
  return token.success ? token.data : undefined
}
