import type { Settings } from '../config'
import { createUdeskClient, UdeskError, type UdeskClient, type UdeskFetch } from '../udesk/client'
import type { CustomField, Template } from '../udesk/schemas'
import type { CheckResult } from './doctor'

/**
 * UDESK-NOTES.md: Udesk refuses a signature whose timestamp is more than 5 minutes from its
 * own clock, either way.
 */
export const UDESK_CLOCK_WINDOW_S = 300

/** The doctor's view of Udesk: two reads, and Udesk's clock as its answers report it. */
export interface UdeskProbe {
  client: Pick<UdeskClient, 'listCustomFields' | 'listTemplates'>
  /** Udesk's clock minus ours in ms, from the last answer's `Date` header; undefined if none. */
  clockSkewMs(): number | undefined
}

/** A signed client for the doctor that notes the `Date` of each answer against `now()`. */
export function createUdeskProbe(
  settings: Settings,
  token: string,
  inner: UdeskFetch = (url, init) => fetch(url, init),
  now: () => number = Date.now,
): UdeskProbe {
  let skewMs: number | undefined
  const recording: UdeskFetch = async (url, init) => {
    const response = await inner(url, init)
    const date = Date.parse(response.headers.get('date') ?? '')
    // `Date` has whole seconds: half a second either way is not skew.
    if (!Number.isNaN(date)) skewMs = Math.trunc((date - now()) / 1000) * 1000
    return response
  }
  const client = createUdeskClient({
    baseUrl: settings.UDESK_BASE_URL,
    credentials: { email: settings.UDESK_EMAIL, token },
    fetch: recording,
    timeoutMs: settings.UDESK_TIMEOUT_MS,
    now,
  })
  return { client, clockSkewMs: () => skewMs }
}

export type Account =
  | { ok: true; fields: CustomField[]; templates: Template[]; skewMs: number | undefined }
  | { ok: false; error: string; skewMs: number | undefined }

/** Udesk's custom fields and templates, or why they could not be read. */
export async function readAccount(probe: UdeskProbe): Promise<Account> {
  try {
    const templates = await probe.client.listTemplates()
    const fields = await probe.client.listCustomFields()
    return { ok: true, fields, templates, skewMs: probe.clockSkewMs() }
  } catch (err) {
    return { ok: false, error: describeFailure(err), skewMs: probe.clockSkewMs() }
  }
}

/** Udesk's own words for a refusal (message and detail), never the signed URL. */
function describeFailure(err: unknown): string {
  if (!(err instanceof UdeskError)) return err instanceof Error ? err.message : String(err)
  const said = [err.udeskCode, err.udeskMessage, err.udeskDetail].filter((x) => x !== undefined)
  return said.length > 0 ? `Udesk answered ${said.join(': ')}` : err.message
}

export function udeskChecks(settings: Settings, account: Account): CheckResult[] {
  return [
    checkCredentials(settings, account),
    checkClock(account),
    checkReferenceField(settings, account),
    checkTemplates(settings, account),
    checkFieldTargets(settings, account),
  ]
}

const UNREADABLE_FIX = 'Fix the Udesk credentials check first; this one needs Udesk to answer.'

export function checkCredentials(settings: Settings, account: Account): CheckResult {
  const title = 'Udesk accepts the bridge’s signed requests'
  if (account.ok) {
    return { id: 'credentials', title, ok: true, detail: `signed as ${settings.UDESK_EMAIL}` }
  }
  return {
    id: 'credentials',
    title,
    ok: false,
    detail: `GET ${settings.UDESK_BASE_URL}/tickets/ticket_templates failed: ${account.error}`,
    fix: 'Set UDESK_EMAIL to the administrator’s login email, UDESK_API_TOKEN (`wrangler secret put UDESK_API_TOKEN`) to that administrator’s API token, and UDESK_BASE_URL to the account’s `/open_api_v1` URL.',
  }
}

export function checkClock(account: Account): CheckResult {
  const title = `The clock is within Udesk’s ${UDESK_CLOCK_WINDOW_S / 60}-minute window`
  const skew = account.skewMs
  if (skew === undefined) {
    const detail = account.ok
      ? 'Udesk sent no Date header, and accepted our timestamps'
      : 'Udesk did not answer with a Date header'
    return {
      id: 'clock',
      title,
      ok: account.ok,
      detail,
      fix: account.ok ? undefined : UNREADABLE_FIX,
    }
  }
  const seconds = Math.round(skew / 1000)
  const detail = `Udesk’s clock is ${Math.abs(seconds)} s ${seconds < 0 ? 'behind' : 'ahead of'} ours`
  if (Math.abs(seconds) <= UDESK_CLOCK_WINDOW_S) return { id: 'clock', title, ok: true, detail }
  return {
    id: 'clock',
    title,
    ok: false,
    detail,
    fix: 'Synchronise this machine’s clock (NTP); every signature carries the current time.',
  }
}

export function checkReferenceField(settings: Settings, account: Account): CheckResult {
  const title = 'UDESK_REFERENCE_FIELD is one of Udesk’s custom fields'
  const field = settings.UDESK_REFERENCE_FIELD
  if (!field) {
    const detail = 'not set: the event reference goes in the ticket content'
    return { id: 'reference_field', title, ok: true, detail }
  }
  if (!account.ok)
    return { id: 'reference_field', title, ok: false, detail: field, fix: UNREADABLE_FIX }
  if (account.fields.some((f) => f.field_name === field)) {
    return { id: 'reference_field', title, ok: true, detail: field }
  }
  return {
    id: 'reference_field',
    title,
    ok: false,
    detail: `${field} is not among ${account.fields.length} custom fields`,
    fix: `Create a single-line text custom field in Udesk and set UDESK_REFERENCE_FIELD to its name (such as TextField_1), or remove the var. ${known(account.fields.map((f) => f.field_name))}`,
  }
}

export function checkTemplates(settings: Settings, account: Account): CheckResult {
  const title = 'Every source’s template_id is one of Udesk’s templates'
  const wanted = Object.entries(settings.SOURCES).flatMap(([name, s]) =>
    s.ticket.templateId === undefined ? [] : [{ name, id: s.ticket.templateId }],
  )
  if (wanted.length === 0)
    return { id: 'templates', title, ok: true, detail: 'no source names one' }
  if (!account.ok) return { id: 'templates', title, ok: false, detail: '', fix: UNREADABLE_FIX }
  const missing = wanted.filter((w) => !account.templates.some((t) => t.id === w.id))
  if (missing.length === 0) {
    return {
      id: 'templates',
      title,
      ok: true,
      detail: wanted.map((w) => `${w.name}: ${w.id}`).join(', '),
    }
  }
  return {
    id: 'templates',
    title,
    ok: false,
    detail: `no such template: ${missing.map((m) => `${m.id} (source ${m.name})`).join(', ')}`,
    fix: `Set \`ticket.templateId\` to an existing template. ${known(account.templates.map((t) => `${t.id} ${t.name}`))}`,
  }
}

/** Form `fieldMap` targets and every source's `ticket.fields` keys. */
export function checkFieldTargets(settings: Settings, account: Account): CheckResult {
  const title = 'Every fieldMap target is one of Udesk’s custom fields'
  const wanted = Object.entries(settings.SOURCES).flatMap(([name, s]) => [
    ...(s.kind === 'form' ? Object.values(s.fieldMap) : []).map((field) => ({ name, field })),
    ...Object.keys(s.ticket.fields ?? {}).map((field) => ({ name, field })),
  ])
  if (wanted.length === 0)
    return { id: 'field_map', title, ok: true, detail: 'no source maps a field' }
  if (!account.ok) return { id: 'field_map', title, ok: false, detail: '', fix: UNREADABLE_FIX }
  const missing = wanted.filter((w) => !account.fields.some((f) => f.field_name === w.field))
  if (missing.length === 0) {
    return { id: 'field_map', title, ok: true, detail: `${wanted.length} targets exist` }
  }
  return {
    id: 'field_map',
    title,
    ok: false,
    detail: `no such field: ${missing.map((m) => `${m.field} (source ${m.name})`).join(', ')}`,
    fix: `Map each form field to an existing custom field name. ${known(account.fields.map((f) => f.field_name))}`,
  }
}

function known(names: string[]): string {
  const shown = names.slice(0, 12).join(', ')
  return `Udesk has: ${shown}${names.length > 12 ? ', …' : ''}.`
}
