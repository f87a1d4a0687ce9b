import { describe, it } from 'vitest'
import {
  DEV_UDESK,
  createSimInstance,
  defaultSim,
  simControl,
  simState,
  simUrl,
  udeskCall,
} from '../helpers/sim'

const ticket = (subject: string) => ({ ticket: { subject, content: 'Body of the ticket' } })

describe('simulator instances', () => {
  it('hands out the base and control URLs of a fresh instance', async ({ expect }) => {
    const sim = await createSimInstance()

    expect(sim.baseUrl).toBe(`${simUrl()}/_sim/instances/${sim.id}/open_api_v1`)
    expect(sim.controlUrl).toBe(`${simUrl()}/_sim/instances/${sim.id}/_sim`)
  })

  it("keeps tickets apart: one instance never sees another one's tickets", async ({ expect }) => {
    const a = await createSimInstance()
    const b = await createSimInstance()
    const subject = `Only on A ${crypto.randomUUID()}`

    const created = await udeskCall(a.baseUrl, 'POST', '/tickets', ticket(subject))

    expect(await created.json()).toMatchObject({ code: 1000 })
    expect((await simState(a.controlUrl)).tickets.map((t) => t.subject)).toEqual([subject])
    expect((await simState(b.controlUrl)).tickets).toEqual([])
    expect((await simState(defaultSim().controlUrl)).tickets.map((t) => t.subject)).not.toContain(
      subject,
    )
  })

  it('serves the default instance at /open_api_v1 with the development credentials', async ({
    expect,
  }) => {
    const subject = `Default instance ${crypto.randomUUID()}`

    const response = await udeskCall(defaultSim().baseUrl, 'POST', '/tickets', ticket(subject))

    expect(await response.json()).toMatchObject({ code: 1000 })
    const { tickets } = await simState(defaultSim().controlUrl)
    expect(tickets.filter((t) => t.subject === subject)).toHaveLength(1)
  })

  it('accepts only the credentials an instance was created with', async ({ expect }) => {
    const sim = await createSimInstance({ email: 'ops@acme.example', token: 'acme-token' })

    const devAnswer = await udeskCall(sim.baseUrl, 'GET', '/tickets')
    const ownAnswer = await udeskCall(sim.baseUrl, 'GET', '/tickets', undefined, {
      credentials: { email: 'ops@acme.example', token: 'acme-token' },
    })

    expect(((await devAnswer.json()) as { code: number }).code).toBe(2003)
    expect(((await ownAnswer.json()) as { code: number }).code).toBe(1000)
  })

  it('forgets tickets, customers, faults and calls on reset', async ({ expect }) => {
    const sim = await createSimInstance()
    await udeskCall(sim.baseUrl, 'POST', '/tickets', ticket('To be forgotten'))
    await udeskCall(sim.baseUrl, 'POST', '/customers', {
      customer: { email: 'gone@example.com', nick_name: 'Gone' },
    })
    await simControl(sim.controlUrl, '/faults', { json: { fault: { kind: 'network' } } })

    await simControl(sim.controlUrl, '/reset', { json: {} })

    expect(await simState(sim.controlUrl)).toEqual({ tickets: [], customers: [] })
    expect(await simControl(sim.controlUrl, '/faults')).toEqual({ faults: [] })
    expect(await simControl(sim.controlUrl, '/calls')).toEqual({ calls: [] })
    const after = await udeskCall(sim.baseUrl, 'GET', '/tickets')
    expect(await after.json()).toMatchObject({ code: 1000, contents: [] })
  })

  it('refuses to create an instance from a malformed request', async ({ expect }) => {
    const malformed = await fetch(`${simUrl()}/_sim/instances`, {
      method: 'POST',
      body: '{"email":',
    })
    const invalid = await fetch(`${simUrl()}/_sim/instances`, {
      method: 'POST',
      body: JSON.stringify({ maxRequestsPerMinute: -1 }),
    })

    expect([malformed.status, invalid.status]).toEqual([400, 400])
  })

  it('answers 404 for an instance that does not exist', async ({ expect }) => {
    const response = await fetch(`${simUrl()}/_sim/instances/nope/open_api_v1/tickets`)

    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'unknown_instance' })
  })

  it('keeps the development credentials as the default of a fresh instance', async ({ expect }) => {
    const sim = await createSimInstance()

    const response = await udeskCall(sim.baseUrl, 'GET', '/tickets', undefined, {
      credentials: DEV_UDESK,
    })

    expect(response.status).toBe(200)
  })
})
