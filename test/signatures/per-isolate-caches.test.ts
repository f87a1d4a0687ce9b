import { afterEach, describe, it, vi } from 'vitest'
import { verifyBasicAuth } from '../../src/signatures/basic'
import { verifyBearerToken } from '../../src/signatures/bearer'
import { verifySlackSignature } from '../../src/signatures/slack'

afterEach(() => {
  vi.restoreAllMocks()
})

/** `v0=` + hex HMAC-SHA256 of Slack's base string, as Slack signs. */
async function slackSignature(secret: string, timestamp: string, body: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`v0:${timestamp}:${body}`),
  )
  return `v0=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

describe('work done once per isolate, not per request (issue 13)', () => {
  it('imports a signing secret as an HMAC key on its first request only', async ({ expect }) => {
    const secret = `cache-test-${crypto.randomUUID()}`
    const timestamp = '1700000000'
    const body = '{"type":"event_callback"}'
    const request = {
      secrets: [secret],
      timestamp,
      signature: await slackSignature(secret, timestamp, body),
      body: new TextEncoder().encode(body),
      nowMs: 1700000000 * 1000,
    }
    const importKey = vi.spyOn(crypto.subtle, 'importKey')

    const first = await verifySlackSignature(request)
    const second = await verifySlackSignature(request)

    expect([first, second]).toEqual([{ ok: true }, { ok: true }])
    expect(importKey).toHaveBeenCalledTimes(1)
  })

  it("hashes a bearer token's configured value once, and what each request sends every time", async ({
    expect,
  }) => {
    const token = `cache-test-${crypto.randomUUID()}`
    const digest = vi.spyOn(crypto.subtle, 'digest')

    const first = await verifyBearerToken(`Bearer ${token}`, [token])
    const second = await verifyBearerToken(`Bearer ${token}`, [token])
    const wrong = await verifyBearerToken('Bearer not-the-token', [token])

    expect([first, second, wrong]).toEqual([
      { ok: true },
      { ok: true },
      { ok: false, reason: 'bad_token' },
    ])
    expect(digest).toHaveBeenCalledTimes(2 + 1 + 1)
  })

  it('still checks a basic password and username against their cached digests', async ({
    expect,
  }) => {
    const password = `cache-test-${crypto.randomUUID()}`
    const expected = { username: 'alertmanager', passwords: [password] }
    const basic = (user: string, pass: string) => `Basic ${btoa(`${user}:${pass}`)}`

    await verifyBasicAuth(basic('alertmanager', password), expected)
    const again = await verifyBasicAuth(basic('alertmanager', password), expected)
    const wrongUser = await verifyBasicAuth(basic('grafana', password), expected)
    const wrongPassword = await verifyBasicAuth(basic('alertmanager', 'guess'), expected)

    expect(again).toEqual({ ok: true })
    expect(wrongUser).toEqual({ ok: false, reason: 'bad_credentials' })
    expect(wrongPassword).toEqual({ ok: false, reason: 'bad_credentials' })
  })
})
