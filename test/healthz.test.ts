import { exports } from 'cloudflare:workers'
import { describe, it } from 'vitest'

describe('GET /healthz', () => {
  it('answers ok', async ({ expect }) => {
    const response = await exports.default.fetch('http://bridge.test/healthz')

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })
})
