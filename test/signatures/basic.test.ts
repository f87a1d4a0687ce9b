import { describe, it } from 'vitest'
import { verifyBasicAuth } from '../../src/signatures/basic'

const basic = (userPass: string) => `Basic ${btoa(userPass)}`

describe('verifyBasicAuth', () => {
  it('accepts the secret as password, with any username when none is configured', async ({
    expect,
  }) => {
    const verdict = await verifyBasicAuth(basic('grafana-prod:s3cret'), { passwords: ['s3cret'] })

    expect(verdict).toEqual({ ok: true })
  })

  it('accepts any of the rotating secrets and checks a configured username', async ({ expect }) => {
    const expected = { username: 'alertmanager', passwords: ['new', 'old'] }

    const rotated = await verifyBasicAuth(basic('alertmanager:old'), expected)
    const otherUser = await verifyBasicAuth(basic('someone:old'), expected)

    expect(rotated).toEqual({ ok: true })
    expect(otherUser).toEqual({ ok: false, reason: 'bad_credentials' })
  })

  it('keeps colons after the first in the password (RFC 7617)', async ({ expect }) => {
    const verdict = await verifyBasicAuth(basic('am:pa:ss'), { passwords: ['pa:ss'] })

    expect(verdict).toEqual({ ok: true })
  })

  it('refuses a wrong password, a missing header, no colon and a Bearer token', async ({
    expect,
  }) => {
    const expected = { passwords: ['s3cret'] }

    expect(await verifyBasicAuth(basic('am:wrong'), expected)).toMatchObject({ ok: false })
    expect(await verifyBasicAuth(null, expected)).toMatchObject({ ok: false })
    expect(await verifyBasicAuth(basic('s3cret'), expected)).toMatchObject({ ok: false })
    expect(await verifyBasicAuth('Bearer s3cret', expected)).toMatchObject({ ok: false })
  })
})
