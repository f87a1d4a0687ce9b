import { describe, it } from 'vitest'
import { verifyBearerToken } from '../../src/signatures/bearer'

describe('verifyBearerToken', () => {
  it('accepts the configured token', async ({ expect }) => {
    const verdict = await verifyBearerToken('Bearer dev-alertmanager-token', [
      'dev-alertmanager-token',
    ])

    expect(verdict).toEqual({ ok: true })
  })

  it('accepts any of several tokens during rotation, and a lowercase scheme', async ({
    expect,
  }) => {
    const verdict = await verifyBearerToken('bearer old-token', ['new-token', 'old-token'])

    expect(verdict).toEqual({ ok: true })
  })

  it('refuses a wrong token, a prefix of the token and a longer one', async ({ expect }) => {
    const tokens = ['dev-alertmanager-token']

    const wrong = await verifyBearerToken('Bearer dev-grafana-token', tokens)
    const prefix = await verifyBearerToken('Bearer dev-alertmanager', tokens)
    const longer = await verifyBearerToken('Bearer dev-alertmanager-token2', tokens)

    expect(wrong).toEqual({ ok: false, reason: 'bad_token' })
    expect(prefix).toEqual({ ok: false, reason: 'bad_token' })
    expect(longer).toEqual({ ok: false, reason: 'bad_token' })
  })

  it('refuses a missing header, another scheme and an empty token', async ({ expect }) => {
    const tokens = ['dev-alertmanager-token']

    const missing = await verifyBearerToken(null, tokens)
    const basic = await verifyBearerToken('Basic ZGV2LWFsZXJ0bWFuYWdlci10b2tlbg==', tokens)
    const empty = await verifyBearerToken('Bearer ', tokens)

    expect(missing).toEqual({ ok: false, reason: 'missing_token' })
    expect(basic).toEqual({ ok: false, reason: 'missing_token' })
    expect(empty).toEqual({ ok: false, reason: 'missing_token' })
  })
})
