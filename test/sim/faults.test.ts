import { beforeEach, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  addFault,
  createSimInstance,
  postTicket,
  simCalls,
  ticketSubjects,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeEach(async () => {
  sim = await createSimInstance()
})

describe('fault kind "code"', () => {
  it("answers HTTP 200 with the Udesk code and the reference's message, applying nothing", async ({
    expect,
  }) => {
    await addFault(sim.controlUrl, { path: '/tickets', fault: { kind: 'code', code: 2062 } })

    const response = await postTicket(sim, 'Refused by a code fault')

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      code: 2062,
      message: 'Failed to get ticket information',
    })
    expect(await ticketSubjects(sim)).toEqual([])
  })

  it('uses the message given with the rule', async ({ expect }) => {
    await addFault(sim.controlUrl, {
      fault: { kind: 'code', code: 2040, message: 'Quota exhausted' },
    })

    const response = await postTicket(sim, 'Quota')

    expect(await response.json()).toEqual({ code: 2040, message: 'Quota exhausted' })
  })
})

describe('fault kind "http"', () => {
  it('answers 429 with Retry-After and a Udesk-style body', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 429, retryAfter: 7 } })

    const response = await postTicket(sim, 'Throttled')

    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(await response.json()).toMatchObject({ code: 2029 })
    expect(await ticketSubjects(sim)).toEqual([])
  })

  it('answers 503 with the HTML page of the load balancer', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 503 } })

    const response = await postTicket(sim, 'Unavailable')

    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(await response.text()).toContain('503 Service Temporarily Unavailable')
    expect(await ticketSubjects(sim)).toEqual([])
  })

  it('answers 500 with a JSON body', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 500 } })

    const response = await postTicket(sim, 'Crashed')

    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ code: 500, message: 'Internal Server Error' })
  })
})

describe('fault kind "latency"', () => {
  it('delays the answer, then handles the call normally', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'latency', ms: 150 } })
    const started = Date.now()

    const response = await postTicket(sim, 'Slow but made')

    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(await response.json()).toMatchObject({ code: 1000 })
    expect(await ticketSubjects(sim)).toEqual(['Slow but made'])
  })
})

describe('fault kind "commit_then_timeout"', () => {
  it('makes the change while the caller times out', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'commit_then_timeout', ms: 2000 } })

    const attempt = postTicket(sim, 'Made, but nobody heard', AbortSignal.timeout(200))

    await expect(attempt).rejects.toThrow()
    expect(await ticketSubjects(sim)).toEqual(['Made, but nobody heard'])
    const [call] = await simCalls(sim.controlUrl)
    expect(call).toMatchObject({
      path: '/tickets',
      status: 504,
      code: 1000,
      fault: 'commit_then_timeout',
    })
  })

  it('answers 504 to a caller that waits', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'commit_then_timeout', ms: 50 } })

    const response = await postTicket(sim, 'Made, then 504')

    expect(response.status).toBe(504)
    expect(await ticketSubjects(sim)).toEqual(['Made, then 504'])
  })
})

describe('fault kind "network"', () => {
  it('drops the connection without an answer and applies nothing', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'network' } })

    await expect(postTicket(sim, 'Lost on the wire')).rejects.toThrow()

    expect(await ticketSubjects(sim)).toEqual([])
    const [call] = await simCalls(sim.controlUrl)
    expect(call).toMatchObject({ path: '/tickets', status: null, code: null, fault: 'network' })
  })
})
