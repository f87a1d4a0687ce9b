import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import type { UdeskRateLimiter } from '../../src/delivery/rate-limiter'
import { RateLimitDeferral } from '../../src/delivery/deferral'
import { readStats } from '../../src/delivery/stats'
import { pollFetch } from '../../src/outbound/poll-fetch'
import { page, signIn } from '../console/helpers'
import { ring, slackConversation } from '../helpers/two-way'

type Limiter = DurableObjectStub<UdeskRateLimiter>

function freshLimiter(): Limiter {
  const ns = env.RATE_LIMITER as unknown as DurableObjectNamespace<UdeskRateLimiter>
  return ns.get(ns.idFromName(`budget-${crypto.randomUUID()}`))
}

/** The bucket as writes left it just now (the tests' budget is 6000 a minute: 600 at most). */
const setTokens = (limiter: Limiter, tokens: number) =>
  runInDurableObject(limiter, (_, state: DurableObjectState) => {
    state.storage.kv.put('bucket', { tokens, updatedAt: Date.now(), pausedUntil: 0 })
  })

/** `waiter` asks for a spare token while writes hold the bucket, again and again: it starves. */
async function starve(limiter: Limiter, waiter: { id: string; since: number }) {
  await setTokens(limiter, 0)
  const first = await limiter.acquirePoll(waiter)
  await new Promise((resolve) => setTimeout(resolve, 1_200))
  await limiter.acquirePoll(waiter)
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  return first
}

describe('one Udesk budget for writes and polls', () => {
  it('refuses a poll while writes have spent the burst, and still grants the write', async ({
    expect,
  }) => {
    const limiter = freshLimiter()
    // An alert storm's writes have taken every token of the burst just now.
    await setTokens(limiter, 0)

    const poll = await limiter.acquirePoll()
    const write = await limiter.acquire(10_000)
    const { usage } = await limiter.peek()

    expect(poll.granted).toBe(false)
    // The poll waits for the whole burst to refill (writes keep all but one token).
    expect(poll.retryInMs).toBeGreaterThan(5_000)
    expect(write.granted).toBe(true)
    expect(usage).toMatchObject({ writes: 1, polls: 0 })
  })

  it('serves a poll that has waited 2 s first, even when a newer one asks first', async ({
    expect,
  }) => {
    const limiter = freshLimiter()
    const now = Date.now()
    const older = { id: 'thread-waiting-for-an-answer', since: now - 30_000 }
    const newer = { id: 'cold-thread', since: now }
    const olderWaits = await starve(limiter, older)
    await setTokens(limiter, 600)

    const newerAsksFirst = await limiter.acquirePoll(newer)
    const olderAsks = await limiter.acquirePoll(older)
    const newerAgain = await limiter.acquirePoll(newer)

    expect(olderWaits.granted).toBe(false)
    expect(newerAsksFirst.granted).toBe(false)
    expect(newerAsksFirst.retryInMs).toBeLessThanOrEqual(250)
    expect(olderAsks.granted).toBe(true)
    // The older one's token left the bucket at the floor: the newer waits for the refill.
    expect(newerAgain.granted).toBe(false)
  })

  it('tells a poll behind a starving one to wait for the refill, not to ask again every 250 ms, while writes hold the bucket', async ({
    expect,
  }) => {
    const limiter = freshLimiter()
    const now = Date.now()
    const older = { id: 'thread-waiting-for-an-answer', since: now - 30_000 }
    // An alert storm's writes have the bucket; the older poll keeps asking and starves.
    await starve(limiter, older)

    // Nobody gets a spare token before the burst refills: asking sooner is a wasted call to
    // the limiter that every write also needs, from each of the polls waiting in line.
    const newer = await limiter.acquirePoll({ id: 'cold-thread', since: now })

    expect(newer.granted).toBe(false)
    expect(newer.retryInMs).toBeGreaterThan(2_000)
  })

  it('grants a poll from a full bucket and counts it', async ({ expect }) => {
    const limiter = freshLimiter()

    const poll = await limiter.acquirePoll()
    const { usage } = await limiter.peek()

    expect(poll).toEqual({ granted: true, retryInMs: 0 })
    expect(usage).toMatchObject({ writes: 0, polls: 1 })
  })

  it('lets a poll’s next read wait for the refill, and defers it behind queued writes', async ({
    expect,
  }) => {
    const limiter = freshLimiter()
    const sent: string[] = []
    const reads = pollFetch(limiter, async (url) => {
      sent.push(url)
      return new Response('{}')
    })
    const detail = 'https://udesk.test/open_api_v1/tickets/detail?id=1'
    // Just polled: the bucket is at the floor kept for writes; the next read waits a refill.
    await setTokens(limiter, 599)
    const waited = await reads(detail, { method: 'GET' })
    // Writes wait for tokens far ahead (30 s of refill): the read is deferred, nothing is sent.
    await setTokens(limiter, -2400)
    const deferred = await reads(detail, { method: 'GET' }).catch((err: unknown) => err)

    expect(waited.status).toBe(200)
    expect(sent).toEqual([detail])
    expect(deferred).toBeInstanceOf(RateLimitDeferral)
  })

  it('shows the watched threads and the polling share on the overview', async ({ expect }) => {
    const before = (await readStats(env)).watched_threads
    const { ticketId, watch } = await slackConversation()
    await ring(ticketId)
    await vi.waitFor(
      async () => {
        if ((await watch.view())?.watch.lastPollAt === null) throw new Error('not polled yet')
      },
      { timeout: 5_000 },
    )

    const after = (await readStats(env)).watched_threads
    const html = await (await page('/admin', await signIn())).text()

    expect(after).toBe(before + 1)
    expect(html).toContain(`Watched threads</dt><dd>${after} (`)
    expect(html).toMatch(/Polling share<\/dt><dd><meter[^>]*>.*polls/)
    expect(html).toMatch(/Sweep<\/dt><dd>filter 4: \d+ tickets listed at /)
  })
})
