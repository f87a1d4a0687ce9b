import { describe, it } from 'vitest'
import { allowedOrigin, corsHeaders } from '../../src/inbound/cors'

describe('allowedOrigin', () => {
  it('lets requests without an Origin through with no CORS header', ({ expect }) => {
    expect(allowedOrigin(null, ['https://www.example.com'])).toBeUndefined()
  })

  it('answers * for a form open to any origin', ({ expect }) => {
    expect(allowedOrigin('https://anywhere.example', ['*'])).toBe('*')
  })

  it('echoes a listed origin, ignoring case and a trailing slash in config', ({ expect }) => {
    const allowed = ['https://www.example.com/']

    expect(allowedOrigin('https://WWW.example.com', allowed)).toBe('https://WWW.example.com')
  })

  it('refuses other origins with 403, including look-alikes', ({ expect }) => {
    const allowed = ['https://www.example.com']

    for (const origin of ['https://www.example.com.evil.test', 'http://www.example.com', 'null']) {
      expect(() => allowedOrigin(origin, allowed)).toThrow(
        expect.objectContaining({ status: 403, code: 'origin_not_allowed' }),
      )
    }
  })
})

describe('corsHeaders', () => {
  it('varies on Origin when it names one, and adds preflight headers when asked', ({ expect }) => {
    expect(corsHeaders('*')).toEqual({ 'Access-Control-Allow-Origin': '*' })
    expect(corsHeaders('https://www.example.com', null)).toEqual({
      'Access-Control-Allow-Origin': 'https://www.example.com',
      Vary: 'Origin',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key',
      'Access-Control-Max-Age': '86400',
    })
  })
})
