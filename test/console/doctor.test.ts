import { env, exports } from 'cloudflare:workers'
import { createExecutionContext } from 'cloudflare:test'
import { describe, it } from 'vitest'
import worker from '../../src/index'
import { ConfigSchema, type SecretBinding, type Settings } from '../../src/config'
import {
  checkOrigins,
  checkSecrets,
  checkTurnstile,
  checkUdeskHttps,
  deploymentOf,
  runDoctor,
  type CheckResult,
  type Deployment,
} from '../../src/console/doctor'
import { createUdeskProbe } from '../../src/console/doctor-udesk'
import { DEV_UDESK } from '../helpers/sim'

/** The simulator's account with the development credentials, plus `sources` and `vars`. */
function settingsWith(sources: object = {}, vars: Record<string, string> = {}): Settings {
  return ConfigSchema.parse({
    UDESK_BASE_URL: env.UDESK_BASE_URL,
    UDESK_EMAIL: DEV_UDESK.email,
    UDESK_API_TOKEN: DEV_UDESK.token,
    SOURCES: { contact: { kind: 'form' }, ...sources },
    ...vars,
  })
}

async function doctor(
  settings: Settings,
  options: { token?: string; clockOffsetMs?: number; deployment?: Deployment } = {},
): Promise<Record<string, CheckResult>> {
  const now = () => Date.now() + (options.clockOffsetMs ?? 0)
  const udesk = createUdeskProbe(settings, options.token ?? DEV_UDESK.token, undefined, now)
  const deployment = options.deployment ?? 'local'
  const checks = await runDoctor({ settings, secrets: [], deployment, udesk })
  return Object.fromEntries(checks.map((c) => [c.id, c]))
}

describe('doctor: Udesk access', () => {
  it('passes the credentials check when the simulator accepts the signed request', async ({
    expect,
  }) => {
    const checks = await doctor(settingsWith())

    expect(checks.credentials).toMatchObject({ ok: true, detail: 'signed as admin@example.com' })
  })

  it('fails the credentials check with Udesk’s own refusal and the fix for a wrong token', async ({
    expect,
  }) => {
    const checks = await doctor(settingsWith(), { token: 'not-the-token' })

    expect(checks.credentials?.ok).toBe(false)
    expect(checks.credentials?.detail).toMatch(/authentication failed/)
    expect(checks.credentials?.fix).toMatch(/UDESK_API_TOKEN/)
    expect(JSON.stringify(checks)).not.toContain('not-the-token')
  })

  it('passes the clock check when Udesk’s Date is within its window', async ({ expect }) => {
    const checks = await doctor(settingsWith())

    expect(checks.clock?.ok).toBe(true)
    expect(checks.clock?.detail).toMatch(/^Udesk’s clock is \d s/)
  })

  it('fails the clock check when our clock is 10 minutes fast', async ({ expect }) => {
    const checks = await doctor(settingsWith(), { clockOffsetMs: 10 * 60_000 })

    expect(checks.clock?.ok).toBe(false)
    expect(checks.clock?.detail).toMatch(/Udesk’s clock is 6\d\d s behind ours/)
    expect(checks.clock?.fix).toMatch(/NTP/)
  })
})

describe('doctor: what the sources name in Udesk', () => {
  it('passes UDESK_REFERENCE_FIELD that is one of the custom fields', async ({ expect }) => {
    const checks = await doctor(settingsWith({}, { UDESK_REFERENCE_FIELD: 'TextField_1' }))

    expect(checks.reference_field).toMatchObject({ ok: true, detail: 'TextField_1' })
  })

  it('fails UDESK_REFERENCE_FIELD that Udesk does not have, naming the fields it has', async ({
    expect,
  }) => {
    const checks = await doctor(settingsWith({}, { UDESK_REFERENCE_FIELD: 'TextField_99' }))

    expect(checks.reference_field?.ok).toBe(false)
    expect(checks.reference_field?.detail).toMatch(/TextField_99 is not among 12 custom fields/)
    expect(checks.reference_field?.fix).toContain('TextField_1, TextField_2')
  })

  it('passes a template_id that exists', async ({ expect }) => {
    const checks = await doctor(
      settingsWith({ events: { kind: 'webhook', secret: 'X', ticket: { templateId: 30002 } } }),
    )

    expect(checks.templates).toMatchObject({ ok: true, detail: 'events: 30002' })
  })

  it('fails a template_id that does not exist', async ({ expect }) => {
    const checks = await doctor(
      settingsWith({ events: { kind: 'webhook', secret: 'X', ticket: { templateId: 424242 } } }),
    )

    expect(checks.templates?.ok).toBe(false)
    expect(checks.templates?.detail).toBe('no such template: 424242 (source events)')
    expect(checks.templates?.fix).toContain('30002 template1')
  })

  it('passes fieldMap targets and ticket fields that exist', async ({ expect }) => {
    const sources = {
      contact: {
        kind: 'form',
        fieldMap: { company: 'TextField_1' },
        ticket: { fields: { SelectField_1: 'Dropdown Option 1' } },
      },
    }

    const checks = await doctor(settingsWith(sources))

    expect(checks.field_map).toMatchObject({ ok: true, detail: '2 targets exist' })
  })

  it('fails a fieldMap target that is not a custom field', async ({ expect }) => {
    const sources = { contact: { kind: 'form', fieldMap: { company: 'TextField_404' } } }

    const checks = await doctor(settingsWith(sources))

    expect(checks.field_map?.ok).toBe(false)
    expect(checks.field_map?.detail).toBe('no such field: TextField_404 (source contact)')
  })

  it('fails the Udesk-dependent checks with "fix the credentials first" when Udesk refuses', async ({
    expect,
  }) => {
    const settings = settingsWith({}, { UDESK_REFERENCE_FIELD: 'TextField_1' })

    const checks = await doctor(settings, { token: 'wrong-token-x' })

    expect(checks.reference_field?.ok).toBe(false)
    expect(checks.reference_field?.fix).toMatch(/credentials check first/)
  })
})

describe('doctor: the sources’ own settings', () => {
  const binding = (set: boolean): SecretBinding => ({
    source: 'alerts',
    binding: 'ALERTS_TOKEN',
    purpose: 'secret',
    set,
  })

  it('passes when every secret binding is set', ({ expect }) => {
    expect(checkSecrets([binding(true)])).toMatchObject({ ok: true })
  })

  it('fails naming the unset binding and its source, never a value', ({ expect }) => {
    const check = checkSecrets([binding(false)])

    expect(check).toMatchObject({ ok: false, detail: 'not set: ALERTS_TOKEN (source alerts)' })
    expect(check.fix).toMatch(/wrangler secret put/)
  })

  it('passes Turnstile in production when every form verifies it', ({ expect }) => {
    const settings = settingsWith({ contact: { kind: 'form', turnstileSecret: 'TS' } })

    expect(checkTurnstile(settings, 'production').ok).toBe(true)
  })

  it('fails Turnstile in production for a public form without it, and allows it locally', ({
    expect,
  }) => {
    const settings = settingsWith()

    expect(checkTurnstile(settings, 'production')).toMatchObject({
      ok: false,
      detail: 'no turnstileSecret: contact',
    })
    expect(checkTurnstile(settings, 'local').ok).toBe(true)
  })

  it('passes allowed origins that list sites in production', ({ expect }) => {
    const settings = settingsWith({
      contact: { kind: 'form', allowedOrigins: ['https://www.example.com'] },
    })

    expect(checkOrigins(settings, 'production').ok).toBe(true)
  })

  it('fails allowed origins `*` in production, and allows it locally', ({ expect }) => {
    const settings = settingsWith()

    expect(checkOrigins(settings, 'production')).toMatchObject({
      ok: false,
      detail: 'allowedOrigins is `*`: contact',
    })
    expect(checkOrigins(settings, 'local').ok).toBe(true)
  })

  it('passes an https UDESK_BASE_URL in production', ({ expect }) => {
    const settings = settingsWith({}, { UDESK_BASE_URL: 'https://acme.udesk.cn/open_api_v1' })

    expect(checkUdeskHttps(settings, 'production').ok).toBe(true)
  })

  it('fails an http UDESK_BASE_URL in production, and allows the simulator locally', ({
    expect,
  }) => {
    const settings = settingsWith({}, { UDESK_BASE_URL: 'http://acme.udesk.cn/open_api_v1' })

    expect(checkUdeskHttps(settings, 'production').ok).toBe(false)
    expect(checkUdeskHttps(settingsWith(), 'local').ok).toBe(true)
  })

  it('takes a loopback bridge for local development and anything else for production', ({
    expect,
  }) => {
    expect(deploymentOf('http://127.0.0.1:8787/admin/doctor')).toBe('local')
    expect(deploymentOf('http://localhost:8787/admin/check')).toBe('local')
    expect(deploymentOf('https://bridge.example.workers.dev/admin/doctor')).toBe('production')
  })
})

describe('GET /admin/doctor', () => {
  const admin = { authorization: 'Bearer dev-admin-token' }

  it('passes every check for the development configuration on a local bridge', async ({
    expect,
  }) => {
    const response = await exports.default.fetch('http://127.0.0.1:8787/admin/doctor', {
      headers: admin,
    })

    expect(response.status).toBe(200)
    const { checks } = (await response.json()) as { checks: CheckResult[] }
    expect(checks.filter((c) => !c.ok)).toEqual([])
    expect(checks.map((c) => c.id)).toEqual([
      'credentials',
      'clock',
      'reference_field',
      'templates',
      'field_map',
      'secrets',
      'turnstile',
      'origins',
      'https',
      'two_way',
    ])
  })

  it('flags the development sources on a deployed host', async ({ expect }) => {
    const response = await exports.default.fetch('https://bridge.example.com/admin/doctor', {
      headers: admin,
    })

    const { checks } = (await response.json()) as { checks: CheckResult[] }
    expect(checks.filter((c) => !c.ok).map((c) => c.id)).toEqual([
      'turnstile',
      'origins',
      'https',
      'two_way',
    ])
  })

  it('still answers when a source secret is missing, and names it', async ({ expect }) => {
    const missing = { ...env, EVENTS_WEBHOOK_SECRET: undefined } as unknown as Env

    const response = await worker.fetch(
      new Request('http://127.0.0.1:8787/admin/doctor', { headers: admin }),
      missing,
      createExecutionContext(),
    )

    expect(response.status).toBe(200)
    const { checks } = (await response.json()) as { checks: CheckResult[] }
    expect(checks.filter((c) => !c.ok)).toEqual([
      expect.objectContaining({
        id: 'secrets',
        detail: 'not set: EVENTS_WEBHOOK_SECRET (source events)',
      }),
    ])
  })

  it('reports vars that do not parse as one failing check, with each field named', async ({
    expect,
  }) => {
    const broken = { ...env, UDESK_EMAIL: 'not-an-email' } as unknown as Env

    const response = await worker.fetch(
      new Request('http://127.0.0.1:8787/admin/doctor', { headers: admin }),
      broken,
      createExecutionContext(),
    )

    const { checks } = (await response.json()) as { checks: CheckResult[] }
    expect(checks).toEqual([
      expect.objectContaining({
        id: 'config',
        ok: false,
        detail: expect.stringMatching(/^UDESK_EMAIL: /),
      }),
    ])
  })

  it('answers 401 without the bearer token', async ({ expect }) => {
    const response = await exports.default.fetch('http://127.0.0.1:8787/admin/doctor')

    expect(response.status).toBe(401)
  })
})
