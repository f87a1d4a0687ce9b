import { describe, it } from 'vitest'
import { createSimInstance, simCalls, simControl, udeskCall } from '../helpers/sim'

async function listStatuses(baseUrl: string, count: number) {
  const statuses = []
  for (let i = 0; i < count; i++)
    statuses.push((await udeskCall(baseUrl, 'GET', '/tickets')).status)
  return statuses
}

describe('rate limit (requests per minute per instance)', () => {
  it('is off unless asked for', async ({ expect }) => {
    const sim = await createSimInstance()

    expect(await listStatuses(sim.baseUrl, 8)).toEqual(Array(8).fill(200))
  })

  it('answers 429 with Retry-After and a Udesk body past the limit', async ({ expect }) => {
    const sim = await createSimInstance({ maxRequestsPerMinute: 3 })
    await listStatuses(sim.baseUrl, 3)

    const response = await udeskCall(sim.baseUrl, 'GET', '/tickets')

    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(59)
    expect(await response.json()).toEqual({
      code: 2029,
      message: 'Sorry, requests are too frequent, please try again later',
    })
  })

  it('admits calls again once the minute has passed on the simulator clock', async ({ expect }) => {
    const sim = await createSimInstance({ maxRequestsPerMinute: 2 })
    expect(await listStatuses(sim.baseUrl, 3)).toEqual([200, 200, 429])

    await simControl(sim.controlUrl, '/clock', { json: { advanceMs: 61_000 } })

    expect(await listStatuses(sim.baseUrl, 3)).toEqual([200, 200, 429])
  })

  it('does not spend the nonce of a throttled call and logs it', async ({ expect }) => {
    const sim = await createSimInstance({ maxRequestsPerMinute: 1 })
    await listStatuses(sim.baseUrl, 2)

    const calls = await simCalls(sim.controlUrl)

    expect(calls.map((c) => [c.status, c.code])).toEqual([
      [200, 1000],
      [429, 2029],
    ])
  })

  it('follows PUT /config: turned on, then off again', async ({ expect }) => {
    const sim = await createSimInstance()

    await simControl(sim.controlUrl, '/config', {
      method: 'PUT',
      json: { maxRequestsPerMinute: 1 },
    })
    const limited = await listStatuses(sim.baseUrl, 2)
    await simControl(sim.controlUrl, '/config', {
      method: 'PUT',
      json: { maxRequestsPerMinute: null },
    })
    const unlimited = await listStatuses(sim.baseUrl, 3)

    expect(limited).toEqual([200, 429])
    expect(unlimited).toEqual([200, 200, 200])
  })

  it('counts each instance on its own', async ({ expect }) => {
    const busy = await createSimInstance({ maxRequestsPerMinute: 1 })
    const quiet = await createSimInstance({ maxRequestsPerMinute: 1 })
    await listStatuses(busy.baseUrl, 2)

    expect(await listStatuses(quiet.baseUrl, 1)).toEqual([200])
  })
})
