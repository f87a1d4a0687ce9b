import { beforeAll, describe, it } from 'vitest'
import {
  DEV_UDESK,
  type SimInstanceInfo,
  createSimInstance,
  signedUdeskUrl,
  simCalls,
  udeskCall,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeAll(async () => {
  sim = await createSimInstance()
})

async function postTickets(body: string, contentType: string) {
  const url = await signedUdeskUrl(sim.baseUrl, '/tickets', DEV_UDESK)
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body })
}

describe('requests Udesk cannot route or read', () => {
  it('answers 404 with code 2005 for a path Udesk does not have', async ({ expect }) => {
    const response = await udeskCall(sim.baseUrl, 'GET', '/tickets/1/attachments')

    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ code: 2005, message: 'No such resource found' })
  })

  it('answers 400 to malformed JSON', async ({ expect }) => {
    const response = await postTickets('{"ticket": {"subject": ', 'application/json')

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 2000 })
  })

  it('does not read a JSON body sent with another content type', async ({ expect }) => {
    const body = JSON.stringify({ ticket: { subject: 'Typed wrong', content: 'x' } })

    const response = await postTickets(body, 'text/plain')

    expect(await response.json()).toEqual({
      code: 2000,
      message: 'Sorry, the object ticket cannot be empty',
    })
  })

  it('logs the parsed body, the query without signing parameters, and the answer', async ({
    expect,
  }) => {
    const since = (await simCalls(sim.controlUrl)).at(-1)?.seq ?? 0

    await udeskCall(sim.baseUrl, 'POST', '/tickets?source=test', {
      ticket: { subject: 'Logged', content: 'Body' },
    })

    expect(await simCalls(sim.controlUrl, since)).toEqual([
      {
        seq: since + 1,
        at: expect.any(Number),
        method: 'POST',
        path: '/tickets',
        query: { source: 'test' },
        body: { ticket: { subject: 'Logged', content: 'Body' } },
        bodyBytes: 48,
        status: 200,
        code: 1000,
        fault: null,
      },
    ])
  })
})
