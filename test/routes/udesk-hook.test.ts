import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { udeskHook } from '../../src/routes/udesk-hook'
import { HOOK, ring, slackConversation } from '../helpers/two-way'

/** Alarms of a watch are at least a second apart (Slack's pace): room for one or two. */
const WAIT = { timeout: 5_000 }

describe('POST /udesk/hook/:token', () => {
  it('answers a wrong token as an unknown route and changes nothing', async ({ expect }) => {
    const { ticketId, watch } = await slackConversation()
    const before = await watch.view()

    const response = await ring(ticketId, 'not-the-token')

    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such route' })
    expect((await watch.view())?.watch.nextPollAt).toBe(before?.watch.nextPollAt)
  })

  it('brings the next poll to now for a watched ticket, from a form body too', async ({
    expect,
  }) => {
    const { ticketId, watch } = await slackConversation()

    const response = await exports.default.fetch(
      new Request(HOOK, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `ticket_id=${ticketId}`,
      }),
    )

    expect(response.status).toBe(202)
    await vi.waitFor(async () => {
      const record = await watch.view()
      if (record?.watch.lastPollAt === null) throw new Error('not polled yet')
    }, WAIT)
  })

  it('refuses a body without a ticket id, and ignores a ticket nobody watches', async ({
    expect,
  }) => {
    const post = (body: string) =>
      exports.default.fetch(
        new Request(HOOK, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
      )

    const bad = await post('{"ticket":"#12"}')
    const unknown = await post('{"ticket_id": 987654321}')

    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: 'invalid_payload' })
    expect(unknown.status).toBe(200)
    expect(await unknown.json()).toEqual({ status: 'ignored' })
  })

  it('takes either of two space-separated tokens while the trigger is moved to a new one', async ({
    expect,
  }) => {
    const { ticketId } = await slackConversation()
    const rotating = { ...env, UDESK_HOOK_TOKEN: 'old-doorbell-token new-doorbell-token' }
    const ringWith = (token: string) =>
      udeskHook.fetch(
        new Request(`http://bridge.test/hook/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ticket_id: ticketId }),
        }),
        rotating,
      )

    const answers = await Promise.all(
      ['old-doorbell-token', 'new-doorbell-token', 'old-doorbell-token new-doorbell-token'].map(
        async (token) => (await ringWith(encodeURIComponent(token))).status,
      ),
    )

    expect(answers).toEqual([202, 202, 404])
  })
})
