import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { watchSweep } from '../../src/outbound/watch-refs'
import { simCalls, simUrl } from '../helpers/sim'
import {
  agent,
  bridgePostsAtLeast,
  ring,
  slackConversation,
  threadMessages,
} from '../helpers/two-way'

const control = () => `${simUrl()}/_sim`
const lastSeq = async () => (await simCalls(control())).at(-1)?.seq ?? 0
const ofTicket = (ticketId: number) => (call: { path: string; query: Record<string, string> }) =>
  call.query.id === String(ticketId) || call.path.startsWith(`/tickets/${ticketId}/`)

/** A sweep of the filter now, as its alarm would (the test does not wait for the pace). */
const sweepNow = () => runDurableObjectAlarm(watchSweep(env))

/** The thread's watch, once its ticket is in the sweep's listing (its start asked for one). */
async function sweptConversation() {
  const talk = await slackConversation()
  await bridgePostsAtLeast(talk.channel, talk.ts, 1, 5_000)
  await sweepNow()
  return talk
}

describe('the watch sweep (UDESK_WATCH_FILTER_ID: one listing for every watched ticket)', () => {
  it('finds an agent reply in the listing: the thread gets it with no detail read of its ticket', async ({
    expect,
  }) => {
    const { channel, ts, ticketId } = await sweptConversation()
    const since = await lastSeq()
    await agent(ticketId, 'reply', { visibility: 'public', content: 'Rolled back, fixed now' })

    await sweepNow()
    const posts = await bridgePostsAtLeast(channel, ts, 2)

    expect(posts[1]).toBe('Rolled back, fixed now')
    const calls = await simCalls(control(), since)
    expect(calls.filter(ofTicket(ticketId)).map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /tickets/${ticketId}/replies`,
    ])
    expect(calls.filter((c) => c.path === '/tickets/export')).toHaveLength(1)
    expect(calls.find((c) => c.path === '/tickets/export')?.query.filter_id).toBe('4')
  })

  it('rings nothing for a listing in which no watched ticket moved', async ({ expect }) => {
    const { watch } = await sweptConversation()
    const before = (await watch.view())!.watch

    await sweepNow()

    expect((await watch.view())!.watch.nextPollAt).toBe(before.nextPollAt)
  })

  it('sees a ticket resolved out of the unsolved filter: its watch reads it and adds the check mark', async ({
    expect,
  }) => {
    const { channel, ts, ticketId } = await sweptConversation()
    await agent(ticketId, 'status', { status_id: '2' })

    await sweepNow()
    const root = await vi.waitFor(
      async () => {
        const [first] = await threadMessages(channel, ts)
        if (!first?.reactions) throw new Error('no reaction yet')
        return first
      },
      { timeout: 8_000 },
    )

    expect(root.reactions?.map((r) => r.name)).toEqual(['white_check_mark'])
  })

  it('shares one listing among a burst of doorbell rings', async ({ expect }) => {
    const { ticketId } = await sweptConversation()
    const since = await lastSeq()

    const rung = await Promise.all([ring(ticketId), ring(ticketId), ring(ticketId)])
    await sweepNow()
    const sweep = await watchSweep(env).view()

    expect(rung.map((r) => r.status)).toEqual([202, 202, 202])
    const exports = (await simCalls(control(), since)).filter((c) => c.path === '/tickets/export')
    expect(exports).toHaveLength(1)
    expect(sweep.failure).toBeUndefined()
    expect(sweep.complete).toBe(true)
  })
})
