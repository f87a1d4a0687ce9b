import type { SecretBinding, Settings } from '../config'
import { readAccount, udeskChecks, type UdeskProbe } from './doctor-udesk'

/** One finding: what was checked, whether it holds, what was seen, and how to fix it. */
export interface CheckResult {
  id: string
  title: string
  ok: boolean
  /** What the check saw, in words; never a secret's value. */
  detail: string
  /** What to change when `ok` is false. */
  fix?: string
}

/**
 * `local`: the bridge itself runs on a loopback host (`npm start`, `wrangler dev`), where the
 * simulator over http, any origin and no Turnstile are the development defaults. Anything else
 * is a deployment and held to production rules.
 */
export type Deployment = 'local' | 'production'

export interface DoctorInput {
  settings: Settings
  secrets: SecretBinding[]
  deployment: Deployment
  udesk: UdeskProbe
}

/**
 * Every check of the configuration doctor, in the order an operator fixes them: Udesk access,
 * then what the sources name in Udesk, then the sources' own safety settings. Reads Udesk's
 * custom fields and templates once (two signed GETs); everything else is pure.
 */
export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const account = await readAccount(input.udesk)
  return [
    ...udeskChecks(input.settings, account),
    checkSecrets(input.secrets),
    checkTurnstile(input.settings, input.deployment),
    checkOrigins(input.settings, input.deployment),
    checkUdeskHttps(input.settings, input.deployment),
  ]
}

/** The one finding when the vars themselves do not parse: nothing else can be checked. */
export function configFailure(problems: string[]): CheckResult[] {
  return [
    {
      id: 'config',
      title: 'The configuration parses',
      ok: false,
      detail: problems.join('; '),
      fix: 'Correct each named var in wrangler.core.toml (and wrangler.toml when the edge has it too), or the secret with `wrangler secret put`, and deploy again.',
    },
  ]
}

/** A host on this machine: the bridge is running in local development. */
export function deploymentOf(url: string): Deployment {
  const host = new URL(url).hostname
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
  return loopback ? 'local' : 'production'
}

export function checkSecrets(secrets: SecretBinding[]): CheckResult {
  const missing = secrets.filter((s) => !s.set)
  const title = "Every source's secrets are set"
  if (missing.length === 0) {
    return { id: 'secrets', title, ok: true, detail: `${secrets.length} secret bindings set` }
  }
  const names = missing.map((s) => `${s.binding} (source ${s.source})`)
  return {
    id: 'secrets',
    title,
    ok: false,
    detail: `not set: ${names.join(', ')}`,
    fix: `Run \`wrangler secret put NAME\` for each, for both workers (\`-c wrangler.toml\` and \`-c wrangler.core.toml\`; locally: add it to .dev.vars).`,
  }
}

function formSources(settings: Settings) {
  return Object.entries(settings.SOURCES).flatMap(([name, source]) =>
    source.kind === 'form' ? [{ name, source }] : [],
  )
}

/** Cloudflare Turnstile keeps bots off a public form; in development the simulator stands in. */
export function checkTurnstile(settings: Settings, deployment: Deployment): CheckResult {
  const title = 'Turnstile is on for public forms'
  const open = formSources(settings).filter(({ source }) => !source.turnstileSecret)
  if (deployment === 'local') {
    return { id: 'turnstile', title, ok: true, detail: 'local development: not required' }
  }
  if (open.length === 0) {
    return { id: 'turnstile', title, ok: true, detail: 'every form source verifies Turnstile' }
  }
  return {
    id: 'turnstile',
    title,
    ok: false,
    detail: `no turnstileSecret: ${open.map((f) => f.name).join(', ')}`,
    fix: 'Add a Turnstile widget to the form, set `turnstileSecret = "NAME"` on the source and `wrangler secret put NAME` with its secret key.',
  }
}

export function checkOrigins(settings: Settings, deployment: Deployment): CheckResult {
  const title = 'Forms accept posts only from their own sites'
  const any = formSources(settings).filter(({ source }) => source.allowedOrigins.includes('*'))
  if (deployment === 'local') {
    return { id: 'origins', title, ok: true, detail: 'local development: any origin allowed' }
  }
  if (any.length === 0) {
    return { id: 'origins', title, ok: true, detail: 'no form source allows `*`' }
  }
  return {
    id: 'origins',
    title,
    ok: false,
    detail: `allowedOrigins is \`*\`: ${any.map((f) => f.name).join(', ')}`,
    fix: 'List the sites that host each form, e.g. `allowedOrigins = ["https://www.example.com"]`.',
  }
}

/** The API token travels in every request's signature input; only TLS keeps the rest private. */
export function checkUdeskHttps(settings: Settings, deployment: Deployment): CheckResult {
  const title = 'UDESK_BASE_URL uses https'
  const https = new URL(settings.UDESK_BASE_URL).protocol === 'https:'
  if (https || deployment === 'local') {
    const detail = https ? settings.UDESK_BASE_URL : 'local development: http allowed'
    return { id: 'https', title, ok: true, detail }
  }
  return {
    id: 'https',
    title,
    ok: false,
    detail: `${settings.UDESK_BASE_URL} is not https`,
    fix: 'Set UDESK_BASE_URL to `https://{subdomain}.udesk.cn/open_api_v1`.',
  }
}
