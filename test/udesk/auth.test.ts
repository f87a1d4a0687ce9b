import { beforeAll, describe, it } from 'vitest'
import type { UdeskFetch } from '../../src/udesk/client'
import { SIM_CREDENTIALS, clientFor, freshSim, rejection, type FreshSim } from './fresh-sim'

const MINUTE_MS = 60_000

let sim: FreshSim

beforeAll(async () => {
  sim = await freshSim()
})

describe('request signing against Udesk', () => {
  it('is accepted with the account’s email and token', async ({ expect }) => {
    // The platform's own fetch, passed as is, as a caller without a wrapper would.
    const templates = await clientFor(sim, { fetch }).listTemplates()

    expect(templates.length).toBeGreaterThan(0)
  })

  it('is refused with a wrong token, permanently', async ({ expect }) => {
    const udesk = clientFor(sim, { credentials: { ...SIM_CREDENTIALS, token: 'leaked-token' } })

    const error = await rejection(udesk.listTemplates())

    expect(error).toMatchObject({
      kind: 'udesk_code',
      httpStatus: 401,
      udeskCode: 2003,
      retryable: false,
    })
    expect((error as Error).message).not.toContain('leaked-token')
  })

  it('is refused for another account’s email', async ({ expect }) => {
    const udesk = clientFor(sim, {
      credentials: { ...SIM_CREDENTIALS, email: 'mallory@example.com' },
    })

    expect(await rejection(udesk.listTemplates())).toMatchObject({ udeskCode: 2003 })
  })

  it('is refused with a timestamp more than five minutes off, either way, as a clock problem', async ({
    expect,
  }) => {
    const late = clientFor(sim, { now: () => Date.now() - 6 * MINUTE_MS })
    const early = clientFor(sim, { now: () => Date.now() + 6 * MINUTE_MS })
    const skewed = clientFor(sim, { now: () => Date.now() - 4 * MINUTE_MS })

    const errors = [await rejection(late.listTemplates()), await rejection(early.listTemplates())]

    // Signed afresh twice (the same clock), then reported as a clock problem, retryable later.
    expect(errors).toMatchObject([
      { udeskCode: 2004, kind: 'clock', retryable: true, outcomeUnknown: false },
      { udeskCode: 2004, kind: 'clock', retryable: true, outcomeUnknown: false },
    ])
    expect(await skewed.listTemplates()).not.toHaveLength(0)
  })

  it('is refused when the same signed URL is sent twice (nonce reuse)', async ({ expect }) => {
    const urls: string[] = []
    const recording: UdeskFetch = (url, init) => {
      urls.push(url)
      return fetch(url, init)
    }
    await clientFor(sim, { fetch: recording }).getSurvey()

    const replay = await fetch(urls[0] ?? '')

    expect(await replay.json()).toMatchObject({
      code: 2006,
      message: 'Sorry, the nonce has already been used',
    })
  })

  it('uses a fresh nonce for every attempt', async ({ expect }) => {
    const nonces: (string | null)[] = []
    const recording: UdeskFetch = (url, init) => {
      nonces.push(new URL(url).searchParams.get('nonce'))
      return fetch(url, init)
    }
    const udesk = clientFor(sim, { fetch: recording })

    await udesk.getSurvey()
    await udesk.getSurvey()

    expect(nonces).toHaveLength(2)
    expect(nonces[0]).not.toBe(nonces[1])
  })
})
