import * as z from './zod'
import { SourceConfigSchema, type SourceConfig } from './source-config'

export * from './source-config'

const MIB = 1024 * 1024

const intFromString = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.positive()), fallback)

const SourcesSchema = z.pipe(
  z.transform((value) => (typeof value === 'string' ? JSON.parse(value) : value)),
  z.record(z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]*$/i)), SourceConfigSchema),
)

/**
 * What the acknowledgment path reads, and all the edge worker (wrangler.toml) is given: the
 * sources and the limits a request is checked against. No Udesk setting: the edge never calls
 * Udesk, so it holds no Udesk token.
 */
export const IntakeConfigSchema = z.object({
  REPLAY_TTL_SECONDS: intFromString(7 * 24 * 3600),
  MAX_BODY_BYTES: intFromString(MIB),
  MAX_MULTIPART_BYTES: intFromString(20 * MIB),
  /** Alert sources' body limit: a storm of thousands of alerts is summarised, not refused. */
  MAX_ALERT_BODY_BYTES: intFromString(8 * MIB),
  /** Cloudflare Turnstile's siteverify endpoint (tests point it at the simulator's double). */
  TURNSTILE_VERIFY_URL: z._default(
    z.url(),
    'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  ),
  SOURCES: SourcesSchema,
})

/** Everything the core worker (wrangler.core.toml) reads: the intake's settings and Udesk's. */
export const ConfigSchema = z.extend(IntakeConfigSchema, {
  UDESK_BASE_URL: z.url(),
  UDESK_EMAIL: z.email(),
  UDESK_API_TOKEN: z.string().check(z.minLength(1)),
  UDESK_MAX_REQUESTS_PER_MINUTE: intFromString(60),
  UDESK_TIMEOUT_MS: intFromString(10_000),
  /** The agent internal notes are written as (Udesk's agent_reply requires one). */
  UDESK_AGENT_ID: intFromString(1),
  /** Optional Udesk custom field that carries the bridge's event reference on each ticket. */
  UDESK_REFERENCE_FIELD: z.optional(z.string()),
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
  /** Bearer token for /admin; the admin endpoints answer 404 when it is not set. */
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(12))),
})

/** Secret values per source name, already split for rotation (space separated). */
type WithSecrets = { secrets: Record<string, string[]> }

export type IntakeConfig = z.infer<typeof IntakeConfigSchema> & WithSecrets
export type Config = z.infer<typeof ConfigSchema> & WithSecrets

/** `record[key]` only when it is the record's own entry: for keys a sender chooses. */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * A loader that validates vars and secrets once per isolate (per `env` object); a bad setting
 * fails with a `ConfigError` naming the field, a source whose secret binding is unset too.
 */
function configLoader<S extends typeof IntakeConfigSchema>(schema: S) {
  const cache = new WeakMap<object, z.infer<S> & WithSecrets>()
  return (env: Env): z.infer<S> & WithSecrets => {
    const cached = cache.get(env)
    if (cached) return cached
    const parsed = z.safeParse(schema, env)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
      throw new ConfigError(`invalid configuration: ${fields.join('; ')}`)
    }
    const config = { ...parsed.data, secrets: readSourceSecrets(env, parsed.data.SOURCES) }
    cache.set(env, config)
    return config
  }
}

/** The acknowledgment path's settings (`IntakeConfigSchema`): what the edge worker has. */
export const loadIntakeConfig: (env: Env) => IntakeConfig = configLoader(IntakeConfigSchema)

/** Every setting (`ConfigSchema`): the core worker's, and the combined test entry's. */
export const loadConfig: (env: Env) => Config = configLoader(ConfigSchema)

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
