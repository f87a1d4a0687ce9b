import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, it, vi } from 'vitest'
import { customerCacheKey } from '../../src/delivery/customers'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import {
  addFault,
  callsMentioning,
  customersWithEmail,
  deliver,
  lastCallSeq,
  openEvent,
  replyEvent,
  resolveEvent,
  ticketsTagged,
  uniqueTag,
} from './sim'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('ThreadCoordinator: open, reply, resolve', () => {
  it('opens one ticket for the customer, with the event reference in its content', async ({
    expect,
  }) => {
    const thread = uniqueTag('open')
    const email = `${thread}@customer.example`
    const open = openEvent(
      { thread, id: `${thread}:open` },
      { customer: { email, name: 'Ada Lovelace' }, ticket: { priority: 'high', tags: ['web'] } },
    )

    const [outcome] = await deliver(thread, open)

    const [ticket, ...others] = await ticketsTagged(thread)
    expect(others).toEqual([])
    expect(outcome).toEqual({ eventId: open.id, ticketId: ticket!.id, outcome: 'applied' })
    expect(ticket).toMatchObject({ priority: '高', status_en: 'open', user_email: email })
    expect(ticket!.content).toContain(`udesk-bridge-ref: ${open.id}`)
    expect(await customersWithEmail(email)).toHaveLength(1)
    expect(
      await env.BRIDGE_KV.get(await customerCacheKey({ type: 'email', content: email })),
    ).not.toBe(null)
  })

  it('answers a second delivery of an applied event as a duplicate, with no Udesk call', async ({
    expect,
  }) => {
    const thread = uniqueTag('dup')
    const open = openEvent({ thread, id: `${thread}:open` })
    await deliver(thread, open)
    const since = await lastCallSeq()

    const [again] = await deliver(thread, open)

    expect(again).toMatchObject({ outcome: 'duplicate' })
    expect(await callsMentioning(thread, since)).toEqual([])
    expect(await ticketsTagged(thread)).toHaveLength(1)
  })

  it('opens one ticket when two deliveries of the open race each other', async ({ expect }) => {
    const thread = uniqueTag('race')
    const open = openEvent({ thread, id: `${thread}:open` })
    await addFault({
      path: '/tickets',
      method: 'POST',
      match: thread,
      fault: { kind: 'latency', ms: 300 },
    })

    const outcomes = await Promise.all([deliver(thread, open), deliver(thread, open)])

    expect(
      outcomes
        .flat()
        .map((o) => o.outcome)
        .sort(),
    ).toEqual(['applied', 'duplicate'])
    expect(await ticketsTagged(thread)).toHaveLength(1)
  })

  it('adds a reply as the customer when the ticket has one', async ({ expect }) => {
    const thread = uniqueTag('reply')
    await deliver(
      thread,
      openEvent(
        { thread, id: `${thread}:open` },
        { customer: { email: `${thread}@customer.example` } },
      ),
    )

    const [outcome] = await deliver(
      thread,
      replyEvent({ thread, id: `${thread}:r1` }, 'Still smoking.'),
    )

    const [ticket] = await ticketsTagged(thread)
    expect(outcome).toMatchObject({ outcome: 'applied', ticketId: ticket!.id })
    expect(ticket!.replies).toHaveLength(1)
    expect(ticket!.replies[0]).toMatchObject({
      function_type: 'external',
      author: { user_type: 'customer' },
    })
    expect(ticket!.replies[0]!.content).toContain('Still smoking.')
    expect(ticket!.replies[0]!.content).toContain(`udesk-bridge-ref: ${thread}:r1`)
  })

  it('adds a reply as an internal note when the ticket has no customer', async ({ expect }) => {
    const thread = uniqueTag('note')
    await deliver(thread, openEvent({ thread, id: `${thread}:open` }))

    await deliver(thread, replyEvent({ thread, id: `${thread}:r1` }, 'Deploy 4411 rolled back.'))

    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => [r.function_type, r.author?.user_type])).toEqual([
      ['internal', 'agent'],
    ])
  })

  it('resolves with its closing words as a reply, then status resolved', async ({ expect }) => {
    const thread = uniqueTag('resolve')
    await deliver(thread, openEvent({ thread, id: `${thread}:open` }))

    await deliver(thread, resolveEvent({ thread, id: `${thread}:done` }, 'Replaced the fuser.'))

    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.status_en).toBe('resolved')
    expect(ticket!.replies.map((r) => r.content.split('<br>')[0])).toEqual(['Replaced the fuser.'])
  })

  it('keeps replies that arrive before the ticket and sends them in order once it opens', async ({
    expect,
  }) => {
    const thread = uniqueTag('early')
    const t0 = Date.now()
    const second = replyEvent({ thread, id: `${thread}:r2`, receivedAt: t0 + 2 }, 'second')
    const first = replyEvent({ thread, id: `${thread}:r1`, receivedAt: t0 + 1 }, 'first')
    const open = openEvent({ thread, id: `${thread}:open`, receivedAt: t0 })

    const early = [...(await deliver(thread, second)), ...(await deliver(thread, first))]
    const before = await ticketsTagged(thread)
    const [opened] = await deliver(thread, open)

    expect(early.map((o) => o.outcome)).toEqual(['pending', 'pending'])
    expect(before).toEqual([])
    expect(opened).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.content.split('<br>')[0])).toEqual(['first', 'second'])
    const redelivered = await deliver(thread, first)
    expect(redelivered).toMatchObject([{ outcome: 'duplicate' }])
  })

  it('finds a returning customer in its KV cache without asking Udesk', async ({ expect }) => {
    const thread = uniqueTag('again')
    const email = `${thread}@customer.example`
    await deliver(thread, openEvent({ thread, id: `${thread}:1` }, { customer: { email } }))
    const since = await lastCallSeq()

    await deliver(
      `${thread}-b`,
      openEvent({ thread: `${thread}-b`, id: `${thread}:2` }, { customer: { email } }),
    )

    const calls = await callsMentioning(email, since)
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /tickets'])
  })

  it('creates Slack users with web_token and finds them by customer_token', async ({ expect }) => {
    const thread = uniqueTag('slack')
    const token = `slack:T0001:${thread}`
    const since = await lastCallSeq()

    await deliver(
      thread,
      openEvent({ thread, id: `${thread}:open` }, { customer: { token, name: 'ada' } }),
    )

    const calls = await callsMentioning(token, since)
    expect(calls.map((c) => `${c.method} ${c.path} ${c.code}`)).toEqual([
      'GET /customers/get_customer 2005',
      'POST /customers 1000',
      'POST /tickets 1000',
    ])
    expect(calls[1]!.body).toMatchObject({ customer: { web_token: token, nick_name: 'ada' } })
    expect(calls[2]!.body).toMatchObject({
      ticket: { type: 'customer_token', type_content: token },
    })
  })
})

describe('ThreadCoordinator: storage', () => {
  it('records the ticket, its customer and the applied event in transactional storage', async ({
    expect,
  }) => {
    const thread = uniqueTag('store')
    const email = `${thread}@customer.example`
    await deliver(thread, openEvent({ thread, id: `${thread}:open` }, { customer: { email } }))
    const stub = threadCoordinator(env, 'events', thread)

    const stored = await runInDurableObject(stub, (_, state) => {
      const store = new ThreadStore(state.storage)
      return { state: store.state, applied: store.applied(`${thread}:open`), inbox: store.inbox() }
    })

    const [ticket] = await ticketsTagged(thread)
    expect(stored).toEqual({
      state: {
        ticketId: ticket!.id,
        subject: `Printer on fire ${thread}`,
        customer: { type: 'email', content: email },
        status: 'open',
      },
      applied: { outcome: 'applied', seen: true },
      inbox: [],
    })
  })
})

describe('ThreadCoordinator: waiting', () => {
  it('sends a message behind a failed event back when that backoff ends, however often it came', async ({
    expect,
  }) => {
    const thread = uniqueTag('behind')
    const t0 = Date.now()
    await deliver(thread, openEvent({ thread, id: `${thread}:open`, receivedAt: t0 }))
    const first = replyEvent({ thread, id: `${thread}:r1`, receivedAt: t0 + 1 }, 'Any news?')
    const second = replyEvent({ thread, id: `${thread}:r2`, receivedAt: t0 + 2 }, 'Hello?')
    await addFault({ match: first.id, fault: { kind: 'http', status: 503 } })
    vi.spyOn(Math, 'random').mockReturnValue(0.5)

    const [failed] = await deliver(thread, first, 40)
    const [early] = await deliver(thread, second, 2)
    const [late] = await deliver(thread, second, 40)

    // The first reply failed just now: back when its own short backoff ends, whatever its count.
    expect(failed).toMatchObject({ outcome: 'retry', delayMs: 1_000 })
    // The second waits for that backoff only: the thread goes on when it ends.
    expect(early).toMatchObject({ outcome: 'retry', errorCode: 'blocked', delayMs: 1_000 })
    expect(late).toMatchObject({ outcome: 'retry', errorCode: 'blocked', delayMs: 1_000 })
  })

  it('spreads a message waiting behind our rate limiter the more often the limiter deferred', async ({
    expect,
  }) => {
    const thread = uniqueTag('backlog')
    const t0 = Date.now()
    await deliver(thread, openEvent({ thread, id: `${thread}:open`, receivedAt: t0 }))
    const deferred = replyEvent({ thread, id: `${thread}:r1`, receivedAt: t0 + 1 }, 'Any news?')
    const second = replyEvent({ thread, id: `${thread}:r2`, receivedAt: t0 + 2 }, 'Hello?')
    const stub = threadCoordinator(env, 'events', thread)
    // The first reply was deferred by the account's rate limiter for a minute, `deferrals` times.
    const deferredFor = (deferrals: number) =>
      runInDurableObject(stub, (_, state) =>
        new ThreadStore(state.storage).putInbox({
          event: deferred,
          deliveryId: `wh_${deferred.id}`,
          owned: false,
          attempts: 0,
          nextAt: Date.now() + 60_000,
          addedAt: Date.now(),
          lastError: 'rate limit spent',
          rateLimited: true,
          deferrals,
        }),
      )
    vi.spyOn(Math, 'random').mockReturnValue(0.5)

    await deferredFor(2)
    const [early] = await deliver(thread, second, 40)
    await deferredFor(40)
    const [late] = await deliver(thread, second, 2)

    // The limiter's wait says nothing of the backlog: each return costs a queue delivery, so
    // returns spread wider the more often the head was deferred (half of the 5-minute cap at
    // 40), never before the wait itself; the message's own delivery count does not matter.
    expect(early).toMatchObject({ outcome: 'retry', errorCode: 'blocked' })
    expect(early?.outcome === 'retry' && early.delayMs).toBeGreaterThan(55_000)
    expect(early?.outcome === 'retry' && early.delayMs).toBeLessThanOrEqual(60_000)
    expect(late).toMatchObject({ outcome: 'retry', errorCode: 'blocked', delayMs: 150_000 })
  })
})

describe('ThreadCoordinator: one batch', () => {
  it('answers the same event twice in one call once applied, once duplicate', async ({
    expect,
  }) => {
    const thread = uniqueTag('twice')
    const open = openEvent({ thread, id: `${thread}:open` })
    const item = (n: number) => ({ event: open, deliveryId: `wh_${n}`, attempt: 1, final: false })

    const outcomes = await threadCoordinator(env, 'events', thread).deliver([item(1), item(2)])

    expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'duplicate'])
    expect(await ticketsTagged(thread)).toHaveLength(1)
  })
})
