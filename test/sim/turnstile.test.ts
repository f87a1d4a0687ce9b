import { describe, it } from 'vitest'
import { simUrl } from '../helpers/sim'

// Cloudflare's documented test secret keys.
const PASSES = '1x0000000000000000000000000000000AA'
const FAILS = '2x0000000000000000000000000000000AA'
const SPENT = '3x0000000000000000000000000000000AA'

function siteverify(fields: Record<string, string>, as: 'form' | 'json' = 'form') {
  const body = as === 'form' ? new URLSearchParams(fields) : JSON.stringify(fields)
  const headers = as === 'json' ? { 'content-type': 'application/json' } : undefined
  return fetch(`${simUrl()}/turnstile/v0/siteverify`, { method: 'POST', body, headers })
}

describe('Turnstile siteverify double', () => {
  it('passes any token with the always-passes secret (form-encoded)', async ({ expect }) => {
    const response = await siteverify({
      secret: PASSES,
      response: 'XXXX.DUMMY.TOKEN.XXXX',
      remoteip: '203.0.113.9',
    })

    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      success: true,
      'error-codes': [],
      hostname: 'example.com',
      challenge_ts: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    })
  })

  it('reads a JSON body too', async ({ expect }) => {
    const response = await siteverify({ secret: PASSES, response: 'XXXX.DUMMY.TOKEN.XXXX' }, 'json')

    expect(await response.json()).toMatchObject({ success: true })
  })

  it('fails every token with the always-fails secret', async ({ expect }) => {
    const response = await siteverify({ secret: FAILS, response: 'XXXX.DUMMY.TOKEN.XXXX' })

    expect(await response.json()).toEqual({
      success: false,
      'error-codes': ['invalid-input-response'],
    })
  })

  it('answers timeout-or-duplicate with the token-already-spent secret', async ({ expect }) => {
    const response = await siteverify({ secret: SPENT, response: 'XXXX.DUMMY.TOKEN.XXXX' })

    expect(await response.json()).toEqual({
      success: false,
      'error-codes': ['timeout-or-duplicate'],
    })
  })

  it('refuses any other secret', async ({ expect }) => {
    const response = await siteverify({
      secret: '0x4AAAAAAAreal-looking-secret',
      response: 'token',
    })

    expect(await response.json()).toEqual({
      success: false,
      'error-codes': ['invalid-input-secret'],
    })
  })

  it('reports a missing or empty response', async ({ expect }) => {
    const missing = await siteverify({ secret: PASSES })
    const empty = await siteverify({ secret: PASSES, response: '' })

    expect(await missing.json()).toEqual({
      success: false,
      'error-codes': ['missing-input-response'],
    })
    expect(await empty.json()).toEqual({
      success: false,
      'error-codes': ['missing-input-response'],
    })
  })

  it('reports a missing secret', async ({ expect }) => {
    const response = await siteverify({ response: 'token' })

    expect(await response.json()).toEqual({
      success: false,
      'error-codes': ['missing-input-secret'],
    })
  })
})
