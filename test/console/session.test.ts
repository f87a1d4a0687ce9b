import { env } from 'cloudflare:workers'
import { createExecutionContext } from 'cloudflare:test'
import { afterEach, describe, it, vi } from 'vitest'
import worker from '../../src/index'
import { CONSOLE, formPost, page, signIn } from './helpers'

afterEach(() => {
  vi.useRealTimers()
})

describe('console sign-in', () => {
  it('answers the right token with an HttpOnly, Secure, SameSite=Strict cookie that expires', async ({
    expect,
  }) => {
    const response = await formPost('/admin/sign-in', { token: 'dev-admin-token' })

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/admin')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^udesk_bridge_console=\d+\.[^;]+;/)
    expect(cookie).toContain('Max-Age=28800')
    expect(cookie).toContain('Path=/admin')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).not.toContain('dev-admin-token')
  })

  it('refuses an oversized sign-in post with 413 before reading it as a form', async ({
    expect,
  }) => {
    const response = await formPost('/admin/sign-in', {
      token: 'dev-admin-token',
      padding: 'x'.repeat(1024 * 1024),
    })

    expect(response.status).toBe(413)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('refuses a wrong token with 401 and sets no cookie', async ({ expect }) => {
    const response = await formPost('/admin/sign-in', { token: 'dev-admin-tokeN' })

    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toContain('That is not the admin token.')
  })

  it('sends a visitor without a session to the sign-in form', async ({ expect }) => {
    const response = await page('/admin/letters', '')

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/admin/sign-in')
  })

  it('serves /admin/ and /admin/letters/ as /admin and /admin/letters when signed in', async ({
    expect,
  }) => {
    // Before: a trailing slash answered 404 not_found once signed in.
    const cookie = await signIn()

    for (const path of ['/admin', '/admin/letters']) {
      const plain = await page(path, cookie)
      const slashed = await page(`${path}/`, cookie)

      expect(slashed.status).toBe(200)
      expect(plain.status).toBe(200)
      expect((await slashed.text()).match(/<h1>[^<]*<\/h1>/)?.[0]).toBe(
        (await plain.text()).match(/<h1>[^<]*<\/h1>/)?.[0],
      )
    }
  })

  it('refuses a cookie whose signature does not match', async ({ expect }) => {
    const cookie = await signIn()
    const forged = cookie.replace(/=(\d+)\./, (_, exp) => `=${Number(exp) + 1000}.`)

    const response = await page('/admin', forged)

    expect(response.status).toBe(303)
  })

  it('ends the session after 8 hours', async ({ expect }) => {
    const cookie = await signIn()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 8 * 3600_000 + 1000)

    const response = await page('/admin', cookie)

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/admin/sign-in')
  })

  it('keeps the JSON API on bearer auth: a session cookie alone gets 401', async ({ expect }) => {
    const cookie = await signIn()

    const response = await page('/admin/stats', cookie)

    expect(response.status).toBe(401)
  })
})

describe('console protections', () => {
  it('refuses a cross-site form post (CSRF) with 403 before it does anything', async ({
    expect,
  }) => {
    const cookie = await signIn()

    const response = await formPost(
      '/admin/letters/replay-all',
      {},
      { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    )

    expect(response.status).toBe(403)
  })

  it('sends a strict Content-Security-Policy, no framing and no caching with every page', async ({
    expect,
  }) => {
    const response = await page('/admin', await signIn())

    expect(response.status).toBe(200)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('signs out by clearing the cookie', async ({ expect }) => {
    const cookie = await signIn()

    const response = await formPost('/admin/sign-out', {}, { cookie })

    expect(response.status).toBe(303)
    expect(response.headers.get('set-cookie')).toMatch(/^udesk_bridge_console=;.*Max-Age=0/)
  })

  it('does not exist (404) without ADMIN_TOKEN, like the JSON API', async ({ expect }) => {
    const unconfigured = { ...env, ADMIN_TOKEN: undefined } as unknown as Env

    const response = await worker.fetch(
      new Request(`${CONSOLE}/admin/sign-in`),
      unconfigured,
      createExecutionContext(),
    )

    expect(response.status).toBe(404)
  })
})

/** A client address of this test only: the local Rate Limiting binding counts per key. */
const clientIp = () =>
  `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/**
 * ADMIN_SIGNIN_LIMITER (10 attempts a minute per client) runs in the local runtime too. It
 * counts in fixed one-minute windows locally, so 21 attempts always cross the limit.
 */
describe('console sign-in attempts per client', () => {
  it('answers attempts past 10 a minute with a 429 page and Retry-After, even the right token', async ({
    expect,
  }) => {
    // Before: any number of guesses, each answered at once.
    const headers = { 'cf-connecting-ip': clientIp() }
    const statuses: number[] = []
    for (let n = 0; n < 21; n++) {
      const response = await formPost('/admin/sign-in', { token: `guess-${n}` }, headers)
      statuses.push(response.status)
    }
    const right = await formPost('/admin/sign-in', { token: 'dev-admin-token' }, headers)

    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses).toContain(429)
    expect(right.status).toBe(429)
    expect(right.headers.get('retry-after')).toBe('60')
    expect(right.headers.get('content-type')).toContain('text/html')
    expect(right.headers.get('set-cookie')).toBeNull()
    expect(await right.text()).toContain('Too many sign-in attempts')
  })

  it('counts each client apart', async ({ expect }) => {
    const busy = { 'cf-connecting-ip': clientIp() }
    for (let n = 0; n < 21; n++) await formPost('/admin/sign-in', { token: 'x' }, busy)

    const other = await formPost(
      '/admin/sign-in',
      { token: 'dev-admin-token' },
      { 'cf-connecting-ip': clientIp() },
    )

    expect(other.status).toBe(303)
  })
})
