import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { verifyTurnstile } from '../../src/inbound/turnstile'

/** The simulator's siteverify double (Cloudflare's documented test secret keys). */
const verifyUrl = `${(env as unknown as { SIM_URL: string }).SIM_URL}/turnstile/v0/siteverify`
const check = (secret: string, token: string | undefined = 'XXXX.DUMMY.TOKEN.XXXX') =>
  verifyTurnstile({ verifyUrl, secret, token, remoteIp: '203.0.113.7' })

describe('verifyTurnstile', () => {
  it('passes with the always-passes test secret', async ({ expect }) => {
    expect(await check('1x0000000000000000000000000000000AA')).toEqual({ ok: true })
  })

  it("fails with siteverify's error codes", async ({ expect }) => {
    expect(await check('2x0000000000000000000000000000000AA')).toEqual({
      ok: false,
      reason: 'invalid-input-response',
    })
    expect(await check('3x0000000000000000000000000000000AA')).toEqual({
      ok: false,
      reason: 'timeout-or-duplicate',
    })
  })

  it('fails without a token, asking nobody', async ({ expect }) => {
    const verdict = await verifyTurnstile({
      verifyUrl: 'http://127.0.0.1:9/never-called',
      secret: '1x0000000000000000000000000000000AA',
      token: undefined,
      remoteIp: null,
    })

    expect(verdict).toEqual({ ok: false, reason: 'missing-input-response' })
  })

  it('fails closed when siteverify cannot be reached', async ({ expect }) => {
    const verdict = await verifyTurnstile({
      verifyUrl: 'http://127.0.0.1:9/siteverify',
      secret: '1x0000000000000000000000000000000AA',
      token: 'XXXX.DUMMY.TOKEN.XXXX',
      remoteIp: null,
    })

    expect(verdict).toEqual({ ok: false, reason: 'siteverify-unreachable' })
  })
})
