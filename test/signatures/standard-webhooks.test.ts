import { describe, it } from 'vitest'
import { utf8 } from '../../src/signatures/encoding'
import {
  standardWebhookHeaders,
  verifyStandardWebhook,
} from '../../src/signatures/standard-webhooks'

/** The reference vector of the Standard Webhooks spec and its libraries. */
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}
const OTHER_SECRET = 'whsec_' + btoa('another key, 32 bytes long......')

function specRequest(overrides: Partial<Parameters<typeof verifyStandardWebhook>[0]> = {}) {
  return {
    secrets: [SPEC.secret],
    id: SPEC.id,
    timestamp: SPEC.timestamp,
    signature: SPEC.signature,
    body: utf8(SPEC.body),
    nowMs: Number(SPEC.timestamp) * 1000,
    ...overrides,
  }
}

describe('verifyStandardWebhook', () => {
  it("accepts the spec's reference vector", async ({ expect }) => {
    expect(await verifyStandardWebhook(specRequest())).toEqual({ ok: true })
  })

  it('accepts when one of several listed signatures matches (sender rotating)', async ({
    expect,
  }) => {
    const signature = `v1,${btoa('x'.repeat(32))} v1a,c29tZXRoaW5n ${SPEC.signature}`

    expect(await verifyStandardWebhook(specRequest({ signature }))).toEqual({ ok: true })
  })

  it('accepts when the matching secret is the second configured (receiver rotating)', async ({
    expect,
  }) => {
    const verdict = await verifyStandardWebhook(
      specRequest({ secrets: [OTHER_SECRET, SPEC.secret] }),
    )

    expect(verdict).toEqual({ ok: true })
  })

  it('refuses a changed body, id or timestamp', async ({ expect }) => {
    const body = await verifyStandardWebhook(specRequest({ body: utf8('{"test": 2432232315}') }))
    const id = await verifyStandardWebhook(specRequest({ id: 'msg_other' }))
    const ts = await verifyStandardWebhook(
      specRequest({ timestamp: '1614265331', nowMs: 1614265331000 }),
    )

    expect(body).toEqual({ ok: false, reason: 'no_matching_signature' })
    expect(id).toEqual({ ok: false, reason: 'no_matching_signature' })
    expect(ts).toEqual({ ok: false, reason: 'no_matching_signature' })
  })

  it('refuses another secret and signatures of another version', async ({ expect }) => {
    const other = await verifyStandardWebhook(specRequest({ secrets: [OTHER_SECRET] }))
    const v2 = await verifyStandardWebhook(
      specRequest({ signature: SPEC.signature.replace('v1,', 'v2,') }),
    )

    expect(other).toEqual({ ok: false, reason: 'no_matching_signature' })
    expect(v2).toEqual({ ok: false, reason: 'no_matching_signature' })
  })

  it('refuses timestamps outside five minutes either way', async ({ expect }) => {
    const at = Number(SPEC.timestamp) * 1000

    const late = await verifyStandardWebhook(specRequest({ nowMs: at + 301_000 }))
    const early = await verifyStandardWebhook(specRequest({ nowMs: at - 301_000 }))
    const garbage = await verifyStandardWebhook(specRequest({ timestamp: '16142653.30' }))

    expect(late).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(early).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(garbage).toEqual({ ok: false, reason: 'stale_timestamp' })
  })

  it('refuses when a header is missing', async ({ expect }) => {
    for (const missing of ['id', 'timestamp', 'signature'] as const) {
      const verdict = await verifyStandardWebhook(specRequest({ [missing]: null }))

      expect(verdict).toEqual({ ok: false, reason: 'missing_headers' })
    }
  })

  it('compares with at most five listed signatures and refuses a longer list', async ({
    expect,
  }) => {
    const bogus = Array.from({ length: 4 }, (_, n) => `v1,${btoa(String(n).padStart(32, 'x'))}`)

    const five = await verifyStandardWebhook(
      specRequest({ signature: [...bogus, SPEC.signature].join(' ') }),
    )
    const six = await verifyStandardWebhook(
      specRequest({ signature: [...bogus, bogus[0], SPEC.signature].join(' ') }),
    )

    expect(five).toEqual({ ok: true })
    expect(six).toEqual({ ok: false, reason: 'too_many_signatures' })
  })

  it('refuses a malformed id or signature list before hashing', async ({ expect }) => {
    const id = await verifyStandardWebhook(specRequest({ id: 'msg 1' }))
    const list = await verifyStandardWebhook(specRequest({ signature: 'v1' }))

    expect(id).toEqual({ ok: false, reason: 'malformed_id' })
    expect(list).toEqual({ ok: false, reason: 'malformed_signature' })
  })
})

describe('standardWebhookHeaders', () => {
  it('reads the svix-* names when no webhook-id is sent', ({ expect }) => {
    const headers = new Headers({ 'svix-id': 'a', 'svix-timestamp': '1', 'svix-signature': 'v1,x' })

    expect(standardWebhookHeaders(headers)).toEqual({ id: 'a', timestamp: '1', signature: 'v1,x' })
  })
})
