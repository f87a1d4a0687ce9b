import { describe, it } from 'vitest'
import { signUdeskRequest, udeskSign } from '../../src/udesk/sign'

// printf '%s' 'admin@udesk.cn&dev-token&1494474404&2d931510-d99f-494a-8c67-87feb05e1594&v2' | sha256sum
const KNOWN_SIGN = 'a15461c68e76151f9d41e21d1b1499bbef5ef2ecc6ddd36158628bdab06ec527'
const KNOWN = {
  email: 'admin@udesk.cn',
  token: 'dev-token',
  timestamp: 1494474404,
  nonce: '2d931510-d99f-494a-8c67-87feb05e1594',
}

describe('udeskSign', () => {
  it('matches the known answer from docs/udesk-api.md', async ({ expect }) => {
    const sign = await udeskSign(KNOWN.email, KNOWN.token, KNOWN.timestamp, KNOWN.nonce)

    expect(sign).toBe(KNOWN_SIGN)
  })

  it('changes when any input changes', async ({ expect }) => {
    const variants = await Promise.all([
      udeskSign('other@udesk.cn', KNOWN.token, KNOWN.timestamp, KNOWN.nonce),
      udeskSign(KNOWN.email, 'other-token', KNOWN.timestamp, KNOWN.nonce),
      udeskSign(KNOWN.email, KNOWN.token, KNOWN.timestamp + 1, KNOWN.nonce),
      udeskSign(KNOWN.email, KNOWN.token, KNOWN.timestamp, 'another-nonce'),
    ])

    expect(new Set([KNOWN_SIGN, ...variants]).size).toBe(5)
  })
})

describe('signUdeskRequest', () => {
  it('gives the five v2 query parameters with the timestamp in whole seconds', async ({
    expect,
  }) => {
    const params = await signUdeskRequest({
      email: KNOWN.email,
      token: KNOWN.token,
      now: KNOWN.timestamp * 1000 + 999,
      nonce: KNOWN.nonce,
    })

    expect(Object.fromEntries(params)).toEqual({
      email: 'admin@udesk.cn',
      timestamp: '1494474404',
      sign: KNOWN_SIGN,
      nonce: '2d931510-d99f-494a-8c67-87feb05e1594',
      sign_version: 'v2',
    })
  })

  it('never puts the token in the query', async ({ expect }) => {
    const params = await signUdeskRequest({ ...KNOWN, now: Date.now(), nonce: 'n-1' })

    expect(params.toString()).not.toContain('dev-token')
  })
})
