import { beforeAll, describe, it } from 'vitest'
import { UdeskError } from '../../src/udesk/client'
import {
  addFault,
  advanceClock,
  clientFor,
  freshSim,
  rejection,
  simState,
  unique,
  type FreshSim,
} from './fresh-sim'
import { textToHtml } from '../../src/content/html'

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim, { timeoutMs: 2000 })
})

/** A ticket to open whose subject scopes a fault to this one test. */
function ticketInput() {
  const subject = unique('Fault drill')
  return { subject, input: { subject, content: textToHtml('x') } }
}

async function ticketsWithSubject(subject: string) {
  return (await simState(sim)).tickets.filter((t) => t.subject === subject)
}

describe('faults between the bridge and Udesk', () => {
  it('classifies 429 as retryable with Retry-After, nothing applied', async ({ expect }) => {
    const { subject, input } = ticketInput()
    await addFault(sim, {
      path: '/tickets',
      match: subject,
      fault: { kind: 'http', status: 429, retryAfter: 7 },
    })

    const error = await rejection(udesk.createTicket(input))

    expect(error).toBeInstanceOf(UdeskError)
    expect(error).toMatchObject({
      kind: 'http_status',
      httpStatus: 429,
      retryable: true,
      outcomeUnknown: false,
      retryAfterMs: 7000,
    })
    expect(await ticketsWithSubject(subject)).toEqual([])
  })

  it('classifies 503 on a write as retryable with an unknown outcome', async ({ expect }) => {
    const { subject, input } = ticketInput()
    await addFault(sim, { path: '/tickets', match: subject, fault: { kind: 'http', status: 503 } })

    const error = await rejection(udesk.createTicket(input))

    expect(error).toMatchObject({
      kind: 'http_status',
      endpoint: 'POST /tickets',
      httpStatus: 503,
      retryable: true,
      outcomeUnknown: true,
    })
  })

  it('classifies 500 on a read as retryable with nothing at stake', async ({ expect }) => {
    const marker = unique('lookup')
    await addFault(sim, {
      path: '/customers/get_customer',
      match: marker,
      fault: { kind: 'http', status: 500 },
    })

    const error = await rejection(udesk.getCustomer({ type: 'email', content: `${marker}@x.io` }))

    expect(error).toMatchObject({ httpStatus: 500, retryable: true, outcomeUnknown: false })
  })

  it('treats a dropped connection on a write as retryable and possibly applied', async ({
    expect,
  }) => {
    const { subject, input } = ticketInput()
    await addFault(sim, { path: '/tickets', match: subject, fault: { kind: 'network' } })

    const error = await rejection(udesk.createTicket(input))

    expect(error).toMatchObject({ kind: 'network', retryable: true, outcomeUnknown: true })
    expect(await ticketsWithSubject(subject)).toEqual([])
  })

  it('times out on a create Udesk applied but never answered: outcome unknown', async ({
    expect,
  }) => {
    const { subject, input } = ticketInput()
    await addFault(sim, {
      path: '/tickets',
      match: subject,
      fault: { kind: 'commit_then_timeout', ms: 5000 },
    })
    const impatient = clientFor(sim, { timeoutMs: 300 })

    const error = await rejection(impatient.createTicket(input))

    expect(error).toMatchObject({
      kind: 'timeout',
      endpoint: 'POST /tickets',
      retryable: true,
      outcomeUnknown: true,
    })
    expect((error as Error).message).toBe('Udesk POST /tickets did not answer within 300 ms')
    expect(await ticketsWithSubject(subject)).toHaveLength(1)
  })

  it('waits out latency shorter than its timeout', async ({ expect }) => {
    const { subject, input } = ticketInput()
    await addFault(sim, { path: '/tickets', match: subject, fault: { kind: 'latency', ms: 150 } })

    const { ticketId } = await udesk.createTicket(input)

    expect((await ticketsWithSubject(subject)).map((t) => t.id)).toEqual([ticketId])
  })

  it('reports an injected Udesk code as a permanent refusal', async ({ expect }) => {
    const { subject, input } = ticketInput()
    await addFault(sim, { path: '/tickets', match: subject, fault: { kind: 'code', code: 2000 } })

    const error = await rejection(udesk.createTicket(input))

    expect(error).toMatchObject({ kind: 'udesk_code', udeskCode: 2000, retryable: false })
  })
})

describe('Udesk rate limit', () => {
  it('answers 429 past the per-minute budget, and admits again a minute later', async ({
    expect,
  }) => {
    const limited = await freshSim({ maxRequestsPerMinute: 2 })
    const client = clientFor(limited)
    await client.getSurvey()
    await client.getSurvey()

    const error = await rejection(client.getSurvey())
    await advanceClock(limited, 60_000)
    const survey = await client.getSurvey()

    expect(error).toMatchObject({ httpStatus: 429, retryable: true, outcomeUnknown: false })
    expect((error as UdeskError).retryAfterMs).toBeGreaterThan(0)
    expect(survey.enable).toBe(true)
  })
})
