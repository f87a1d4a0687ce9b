import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, it, vi } from 'vitest'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import {
  addFault,
  callsMentioning,
  deliver,
  lastCallSeq,
  openEvent,
  replyEvent,
  resolveEvent,
  ticketsTagged,
  uniqueTag,
} from './sim'

/** Longer than the tests' UDESK_TIMEOUT_MS (2 s): the client gives up, Udesk has applied it. */
const HOLD_MS = 3_000

/** The next attempt comes after the first backoff (under DELIVERY_RETRY_BASE_SECONDS). */
function afterBackoff(): void {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + 3_000)
}

/** The creates of unknown outcome the thread remembers (their references). */
function doubtsOf(thread: string) {
  return runInDurableObject(threadCoordinator(env, 'events', thread), (_, state) =>
    new ThreadStore(state.storage).state.uncertainCreates?.map((c) => c.ref),
  )
}

afterEach(() => {
  vi.useRealTimers()
})

const summary = (calls: { method: string; path: string }[]) =>
  calls.map((c) => `${c.method} ${c.path}`)

describe('a create whose answer is lost', () => {
  it('is found by its reference on the next attempt instead of creating a second ticket', async ({
    expect,
  }) => {
    const thread = uniqueTag('lost-create')
    const open = openEvent({ thread, id: `${thread}:open` })
    await addFault({
      method: 'POST',
      path: '/tickets',
      match: thread,
      fault: { kind: 'commit_then_timeout', ms: HOLD_MS },
    })

    const [first] = await deliver(thread, open)
    const doubts = await doubtsOf(thread)
    const since = await lastCallSeq()
    afterBackoff()
    const [second] = await deliver(thread, open, 2)

    expect(first).toMatchObject({ outcome: 'retry', errorCode: 'udesk_timeout' })
    expect(doubts).toEqual([open.id])
    expect(await doubtsOf(thread)).toBeUndefined()
    const tickets = await ticketsTagged(thread)
    expect(tickets).toHaveLength(1)
    expect(second).toEqual({ eventId: open.id, ticketId: tickets[0]!.id, outcome: 'applied' })
    // The second attempt looked among the newest tickets and did not create again.
    expect(summary(await callsMentioning(thread, since))).toEqual([])
  })

  it('is repeated when the lookup shows Udesk never got it', async ({ expect }) => {
    const thread = uniqueTag('dropped-create')
    const email = `${thread}@customer.example`
    const open = openEvent({ thread, id: `${thread}:open` }, { customer: { email } })
    await addFault({ method: 'POST', path: '/tickets', match: thread, fault: { kind: 'network' } })

    const [first] = await deliver(thread, open)
    const since = await lastCallSeq()
    afterBackoff()
    const [second] = await deliver(thread, open, 2)

    expect(first).toMatchObject({ outcome: 'retry', errorCode: 'udesk_network' })
    expect(second).toMatchObject({ outcome: 'applied' })
    expect(await ticketsTagged(thread)).toHaveLength(1)
    // Looked among the customer's tickets first, then created.
    expect(summary(await callsMentioning(email, since))).toEqual(['GET /tickets', 'POST /tickets'])
  })
})

describe('a reply whose answer is lost', () => {
  it('is found among the ticket replies and not added twice', async ({ expect }) => {
    const thread = uniqueTag('lost-reply')
    await deliver(
      thread,
      openEvent({ thread, id: `${thread}:open` }, { customer: { email: `${thread}@c.example` } }),
    )
    const reply = replyEvent({ thread, id: `${thread}:r1` }, 'Any news?')
    await addFault({
      path: '/tickets/customer_reply',
      match: reply.id,
      fault: { kind: 'commit_then_timeout', ms: HOLD_MS },
    })

    const [first] = await deliver(thread, reply)
    afterBackoff()
    const [second] = await deliver(thread, reply, 2)

    expect(first).toMatchObject({ outcome: 'retry', errorCode: 'udesk_timeout' })
    expect(second).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.content.split('<br>')[0])).toEqual(['Any news?'])
  })
})

describe('a resolve that fails half way', () => {
  it('does not repeat its reply when only the status change failed', async ({ expect }) => {
    const thread = uniqueTag('half-resolve')
    await deliver(thread, openEvent({ thread, id: `${thread}:open` }))
    const resolve = resolveEvent({ thread, id: `${thread}:done` }, 'Fixed by restarting.')
    await addFault({
      method: 'PUT',
      path: '/tickets/:id',
      match: thread,
      fault: { kind: 'http', status: 503 },
    })

    const [first] = await deliver(thread, resolve)
    afterBackoff()
    const [second] = await deliver(thread, resolve, 2)

    expect(first).toMatchObject({ outcome: 'retry' })
    expect(second).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.status_en).toBe('resolved')
    expect(ticket!.replies).toHaveLength(1)
  })
})

describe('a permanent failure', () => {
  it('is reported with Udesk code and message, and leaves nothing behind to retry', async ({
    expect,
  }) => {
    const thread = uniqueTag('refused')
    const open = openEvent({ thread, id: `${thread}:open` })
    await addFault({
      method: 'POST',
      path: '/tickets',
      match: thread,
      fault: { kind: 'code', code: 2000 },
    })

    const [outcome] = await deliver(thread, open)
    const inbox = await runInDurableObject(threadCoordinator(env, 'events', thread), (_, s) =>
      new ThreadStore(s.storage).inbox(),
    )

    expect(outcome).toEqual({
      eventId: open.id,
      outcome: 'failed',
      reason: 'udesk_rejected',
      attempts: 1,
      errorCode: 'udesk_2000',
      error: 'POST /tickets: udesk_code: http 200: code 2000: Unknown error',
    })
    expect(inbox).toEqual([])
    expect(await ticketsTagged(thread)).toEqual([])
  })
})
