import { beforeEach, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  addFault,
  createSimInstance,
  DEV_UDESK,
  signedUdeskUrl,
  postTicket,
  simControl,
  ticketSubjects,
  udeskCall,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeEach(async () => {
  sim = await createSimInstance()
})

describe('fault rules', () => {
  it('hit once by default, then the call goes through', async ({ expect }) => {
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 502 } })

    const statuses = [
      (await postTicket(sim, 'First')).status,
      (await postTicket(sim, 'Second')).status,
    ]

    expect(statuses).toEqual([502, 200])
    expect(await ticketSubjects(sim)).toEqual(['Second'])
  })

  it('hit as many matching calls as `times` says', async ({ expect }) => {
    await addFault(sim.controlUrl, { times: 2, fault: { kind: 'http', status: 500 } })

    const statuses = []
    for (const subject of ['One', 'Two', 'Three'])
      statuses.push((await postTicket(sim, subject)).status)

    expect(statuses).toEqual([500, 500, 200])
  })

  it('hit only calls whose body or query contains `match`', async ({ expect }) => {
    await addFault(sim.controlUrl, { match: 'thread-42', fault: { kind: 'http', status: 503 } })

    const other = await postTicket(sim, 'About thread-41')
    const mine = await postTicket(sim, 'About thread-42')

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
    const created = await postTicket(sim, 'Update me')
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
    for (const subject of ['A', 'B', 'C']) statuses.push((await postTicket(sim, subject)).status)

    expect(statuses).toEqual([503, 503, 503])
  })

  it('with probability 0, never hit', async ({ expect }) => {
    await addFault(sim.controlUrl, { probability: 0, fault: { kind: 'http', status: 503 } })

    expect((await postTicket(sim, 'Lucky')).status).toBe(200)
  })

  it('are all removed by DELETE /faults', async ({ expect }) => {
    await addFault(sim.controlUrl, { probability: 1, fault: { kind: 'network' } })

    await simControl(sim.controlUrl, '/faults', { method: 'DELETE' })

    expect((await postTicket(sim, 'Calm again')).status).toBe(200)
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
    await addFault(sim.controlUrl, { fault: { kind: 'http', status: 503 } })
    const url = await signedUdeskUrl(sim.baseUrl, '/tickets', DEV_UDESK)

    const statuses = [(await fetch(url)).status, (await fetch(url)).status]

    expect(statuses).toEqual([503, 200])
  })
})
