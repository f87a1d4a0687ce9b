import { exports } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { formPost } from '../helpers/signed-request'
import { jsonPost, visitor } from './form-requests'

/** A client address of this test only: the local Rate Limiting binding counts per key. */
const clientIp = () => {
  const [a, b, c] = crypto.getRandomValues(new Uint16Array(3))
  return `2001:db8::${a?.toString(16)}:${b?.toString(16)}:${c?.toString(16)}`
}

/**
 * Workers Rate Limiting (`FORM_RATE_LIMITER`, 5 posts a minute per source and client) runs in
 * the local runtime too: these go through the real binding. It counts in fixed one-minute
 * windows locally, so eleven posts always cross the limit, even if a window ends between them.
 */
describe('per-client rate limit on forms', () => {
  it('answers the sixth post in a minute from one client with 429 and Retry-After', async ({
    expect,
  }) => {
    const ip = clientIp()
    const statuses: number[] = []
    let refused: Response | undefined
    for (let n = 0; n < 11; n++) {
      const response = await exports.default.fetch(
        jsonPost('contact', { email: visitor(), message: `post ${n}` }, { 'cf-connecting-ip': ip }),
      )
      statuses.push(response.status)
      if (response.status === 429) refused ??= response
    }

    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202])
    expect(refused?.headers.get('retry-after')).toBe('60')
    expect(await refused?.json()).toEqual({
      error: 'rate_limited',
      message: 'too many posts from this client, retry later',
    })
  })

  it('counts each client and each form apart', async ({ expect }) => {
    const ip = clientIp()
    for (let n = 0; n < 11; n++) {
      await exports.default.fetch(
        jsonPost('contact', { email: visitor() }, { 'cf-connecting-ip': ip }),
      )
    }

    const otherClient = await exports.default.fetch(
      jsonPost('contact', { email: visitor() }, { 'cf-connecting-ip': clientIp() }),
    )
    const otherForm = await exports.default.fetch(
      jsonPost('contact-large', { email: visitor() }, { 'cf-connecting-ip': ip }),
    )

    expect(otherClient.status).toBe(202)
    expect(otherForm.status).toBe(202)
  })

  it('shows a browser a 429 page saying how long to wait', async ({ expect }) => {
    const ip = clientIp()
    let response: Response | undefined
    for (let n = 0; n < 11 && response?.status !== 429; n++) {
      response = await exports.default.fetch(
        formPost('contact', { email: visitor() }, { 'cf-connecting-ip': ip }),
      )
    }

    expect(response?.status).toBe(429)
    expect(response?.headers.get('retry-after')).toBe('60')
    expect(response?.headers.get('content-type')).toContain('text/html')
    expect(await response?.text()).toContain(
      'Please wait 60 seconds, then send your message again.',
    )
  })
})
