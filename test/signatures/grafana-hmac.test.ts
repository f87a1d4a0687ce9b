import { describe, it } from 'vitest'
import { verifyGrafanaHmac } from '../../src/signatures/grafana-hmac'

const NOW_MS = Date.UTC(2024, 5, 3, 8, 15, 42)
const NOW_S = String(NOW_MS / 1000)
const body = new TextEncoder().encode('{"receiver":"udesk","status":"firing"}')

/** Written from Grafana's webhook notifier: hex HMAC-SHA256 over `{ts}:{body}` or the body. */
async function sign(secret: string, signed: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed))
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
const text = new TextDecoder().decode(body)

describe('verifyGrafanaHmac', () => {
  it('accepts a signature over timestamp and body, with any of the rotating secrets', async ({
    expect,
  }) => {
    const signature = await sign('old', `${NOW_S}:${text}`)

    const verdict = await verifyGrafanaHmac({
      secrets: ['new', 'old'],
      signature,
      timestamp: NOW_S,
      body,
      nowMs: NOW_MS,
    })

    expect(verdict).toEqual({ ok: true })
  })

  it('accepts a signature over the body alone when no timestamp header is configured', async ({
    expect,
  }) => {
    const signature = await sign('s3cret', text)

    const request = { secrets: ['s3cret'], signature, body, nowMs: NOW_MS }

    expect(await verifyGrafanaHmac({ ...request, timestamp: undefined })).toEqual({ ok: true })
  })

  it('refuses a stale timestamp, a missing one, a body-only signature and a wrong secret', async ({
    expect,
  }) => {
    const old = String(NOW_MS / 1000 - 301)
    const base = { secrets: ['s3cret'], body, nowMs: NOW_MS }

    const stale = { ...base, timestamp: old, signature: await sign('s3cret', `${old}:${text}`) }
    const missing = { ...base, timestamp: null, signature: await sign('s3cret', text) }
    const bodyOnly = { ...base, timestamp: NOW_S, signature: await sign('s3cret', text) }
    const wrong = { ...base, timestamp: NOW_S, signature: await sign('other', `${NOW_S}:${text}`) }

    expect(await verifyGrafanaHmac(stale)).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(await verifyGrafanaHmac(missing)).toEqual({ ok: false, reason: 'missing_signature' })
    expect(await verifyGrafanaHmac(bodyOnly)).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    })
    expect(await verifyGrafanaHmac(wrong)).toEqual({ ok: false, reason: 'no_matching_signature' })
  })

  it('refuses a signature that is not 32 bytes of hex', async ({ expect }) => {
    const request = { secrets: ['s3cret'], body, nowMs: NOW_MS, timestamp: NOW_S }

    const verdict = await verifyGrafanaHmac({ ...request, signature: 'sha256=abc' })

    expect(verdict).toEqual({ ok: false, reason: 'malformed_signature' })
  })
})
