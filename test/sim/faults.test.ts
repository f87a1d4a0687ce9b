import { beforeEach, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  addFault,
  createSimInstance,
  simCalls,
  simControl,
  simState,
  udeskCall,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeEach(async () => {
  sim = await createSimInstance()
})

const ticket = (subject: string) => ({ ticket: { subject, content: 'The printer is on fire' } })

async function createTicket(subject: string, init: { signal?: AbortSignal } = {}) {
  const { signedUdeskUrl, DEV_UDESK } = await import('../helpers/sim')
  return fetch(await signedUdeskUrl(sim.baseUrl, '/tickets', DEV_UDESK), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ticket(subject)),
    signal: init.signal,
  })
}

async function subjects() {
  return (await simState(sim.controlUrl)).tickets.map((t) => t.subject)
}

describe('fault kind "code"', () => {
  it("answers HTTP 200 with the Udesk code and the reference's message, applying nothing", async ({
    expect,
  }) => {
    await addFault(sim.controlUrl, { path: '/tickets', fault: { kind: 'code', code: 2062 } })

    const response = await createTicket('Refused by a code fault')

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      code: 2062,
      message: 'Failed to get ticket information',
    })
    expect(await subjects()).toEqual([])
  })

  it('uses the message given with the rule', async ({ expect }) => {
    await addFault(sim.controlUrl, {
      fault: { kind: 'code', code: 2040, message: 'Quota exhausted' },
    })

    const response = await createTicket('Quota')

    expect(await response.json()).toEqual({ code: 2040, message: 'Quota exhausted' })
  })
})

describe('fault kind "http"', () => {
  it('answers 429 with Retry-After and a Udesk-style body', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 429, retryAfter: 7 } })

    const response = await createTicket('Throttled')

    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(await response.json()).toMatchObject({ code: 2029 })
    expect(await subjects()).toEqual([])
  })

  it('answers 503 with the HTML page of the load balancer', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 503 } })

    const response = await createTicket('Unavailable')

    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(await response.text()).toContain('503 Service Temporarily Unavailable')
    expect(await subjects()).toEqual([])
  })

  it('answers 500 with a JSON body', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 500 } })

    const response = await createTicket('Crashed')

    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ code: 500, message: 'Internal Server Error' })
  })
})

describe('fault kind "latency"', () => {
  it('delays the answer, then handles the call normally', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'latency', ms: 150 } })
    const started = Date.now()

    const response = await createTicket('Slow but made')

    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(await response.json()).toMatchObject({ code: 1000 })
    expect(await subjects()).toEqual(['Slow but made'])
  })
})

describe('fault kind "commit_then_timeout"', () => {
  it('makes the change while the caller times out', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'commit_then_timeout', ms: 2000 } })

    const attempt = createTicket('Made, but nobody heard', { signal: AbortSignal.timeout(200) })

    await expect(attempt).rejects.toThrow()
    expect(await subjects()).toEqual(['Made, but nobody heard'])
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

    const response = await createTicket('Made, then 504')

    expect(response.status).toBe(504)
    expect(await subjects()).toEqual(['Made, then 504'])
  })
})

describe('fault kind "network"', () => {
  it('drops the connection without an answer and applies nothing', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'network' } })

    await expect(createTicket('Lost on the wire')).rejects.toThrow()

    expect(await subjects()).toEqual([])
    const [call] = await simCalls(sim.controlUrl)
    expect(call).toMatchObject({ path: '/tickets', status: null, code: null, fault: 'network' })
  })
})

describe('fault rules', () => {
  it('hit once by default, then the call goes through', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 502 } })

    const statuses = [(await createTicket('First')).status, (await createTicket('Second')).status]

    expect(statuses).toEqual([502, 200])
    expect(await subjects()).toEqual(['Second'])
  })

  it('hit as many matching calls as `times` says', async ({ expect }) => {
    await addFault(sim.controlUrl, { times: 2, fault: { kind: 'http', status: 500 } })

    const statuses = []
    for (const subject of ['One', 'Two', 'Three'])
      statuses.push((await createTicket(subject)).status)

    expect(statuses).toEqual([500, 500, 200])
  })

  it('hit only calls whose body or query contains `match`', async ({ expect }) => {
    await addFault(sim.controlUrl, { match: 'thread-42', fault: { kind: 'http', status: 503 } })

    const other = await createTicket('About thread-41')
    const mine = await createTicket('About thread-42')

    expect([other.status, mine.status]).toEqual([200, 503])
  })

  it('match the query string too, decoded (a ticket number)', async ({ expect }) => {
    await addFault(sim.controlUrl, { match: '#999', fault: { kind: 'code', code: 2005 } })

    const response = await udeskCall(sim.baseUrl, 'GET', '/tickets/detail?num=%23999')

    expect(await response.json()).toEqual({ code: 2005, message: 'No such resource found' })
  })

  it('hit only the method and path given, with :id matching any id', async ({ expect }) => {
    await addFault(sim.controlUrl, {
      method: 'PUT',
      path: '/tickets/:id',
      fault: { kind: 'http', status: 502 },
    })
    const created = await createTicket('Update me')
    const { ticket_id } = (await created.json()) as { ticket_id: number }

    const update = await udeskCall(sim.baseUrl, 'PUT', `/tickets/${ticket_id}`, {
      ticket: { status_id: 2 },
    })

    expect(created.status).toBe(200)
    expect(update.status).toBe(502)
  })

  it('with probability 1 and no times, hit every call', async ({ expect }) => {
    await addFault(sim.controlUrl, { probability: 1, fault: { kind: 'http', status: 503 } })

    const statuses = []
    for (const subject of ['A', 'B', 'C']) statuses.push((await createTicket(subject)).status)

    expect(statuses).toEqual([503, 503, 503])
  })

  it('with probability 0, never hit', async ({ expect }) => {
    await addFault(sim.controlUrl, { probability: 0, fault: { kind: 'http', status: 503 } })

    expect((await createTicket('Lucky')).status).toBe(200)
  })

  it('are all removed by DELETE /faults', async ({ expect }) => {
    await addFault(sim.controlUrl, { probability: 1, fault: { kind: 'network' } })

    await simControl(sim.controlUrl, '/faults', { method: 'DELETE' })

    expect((await createTicket('Calm again')).status).toBe(200)
  })

  it('are refused with the issues when malformed', async ({ expect }) => {
    const response = await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'http', status: 418 } }),
    })

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: 'invalid_body',
      issues: expect.any(Array),
    })
  })

  it('spend no nonce: the same signed URL works once the fault is used up', async ({ expect }) => {
    const { signedUdeskUrl, DEV_UDESK } = await import('../helpers/sim')
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 503 } })
    const url = await signedUdeskUrl(sim.baseUrl, '/tickets', DEV_UDESK)

    const statuses = [(await fetch(url)).status, (await fetch(url)).status]

    expect(statuses).toEqual([503, 200])
  })
})
