import { env } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { loadConfig } from '../../src/config'
import { RateLimitDeferral } from '../../src/delivery/deferral'
import { classifyFailure } from '../../src/delivery/retry-policy'
import { createUdeskClient } from '../../src/udesk/client'
import {
  LIMITER_DOWN_WAIT_MS,
  rateLimitedFetch,
  rateLimiterFor,
  type UdeskRateLimiter,
} from '../../src/delivery/rate-limiter'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import { runInDurableObject } from 'cloudflare:test'
import { addFault, callsMentioning, lastCallSeq, openEvent, ticketsTagged, uniqueTag } from './sim'
import { textToHtml } from '../../src/content/html'

afterEach(() => {
  vi.useRealTimers()
})

function limiter(name: string): DurableObjectStub<UdeskRateLimiter> {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name))
}

/** The network edge: records what would have gone to Udesk and answers as told. */
function recorder(answer: () => Response) {
  const urls: string[] = []
  const fetch = async (url: string) => {
    urls.push(url)
    return answer()
  }
  return { urls, fetch }
}

describe('rateLimitedFetch', () => {
  it('sends a request when the account has a token', async ({ expect }) => {
    const udesk = recorder(() => Response.json({ code: 1000 }))
    const limited = rateLimitedFetch(limiter(uniqueTag('rl')), 3_000, udesk.fetch)

    const response = await limited('http://udesk.test/open_api_v1/tickets', { method: 'GET' })

    expect(response.status).toBe(200)
    expect(udesk.urls).toEqual(['http://udesk.test/open_api_v1/tickets'])
  })

  it('defers instead of waiting long, and sends nothing', async ({ expect }) => {
    const stub = limiter(uniqueTag('rl'))
    await stub.pause(30_000)
    const udesk = recorder(() => Response.json({ code: 1000 }))
    const limited = rateLimitedFetch(stub, 3_000, udesk.fetch)

    const sent = limited('http://udesk.test/open_api_v1/tickets?sign=s3cr3t', { method: 'POST' })

    const deferral = await sent.catch((err: unknown) => err)
    expect(deferral).toBeInstanceOf(RateLimitDeferral)
    expect(deferral).toMatchObject({ endpoint: 'POST /open_api_v1/tickets', outcomeUnknown: false })
    // The rest of the pause: 30 s less the time the test took since pausing (a loaded machine
    // takes tens of milliseconds), far over the 3 s a call may wait.
    expect((deferral as RateLimitDeferral).retryAfterMs).toBeGreaterThan(29_000)
    expect(udesk.urls).toEqual([])
  })

  it('defers, sending nothing, when the limiter itself cannot be asked', async ({ expect }) => {
    // The platform's answer when the limiter's Durable Object is overloaded or was reset.
    const broken = {
      acquire: () => Promise.reject(new Error('Durable Object is overloaded')),
    } as unknown as DurableObjectStub<UdeskRateLimiter>
    const udesk = recorder(() => Response.json({ code: 1000 }))
    const client = createUdeskClient({
      baseUrl: 'http://udesk.test/open_api_v1',
      credentials: { email: 'admin@example.com', token: 'dev-udesk-token' },
      fetch: rateLimitedFetch(broken, 3_000, udesk.fetch),
    })

    const failure = await client
      .createTicket({ subject: 'x', content: textToHtml('y') })
      .catch((e) => e)

    expect(failure).toBeInstanceOf(RateLimitDeferral)
    expect(failure).toMatchObject({ outcomeUnknown: false, retryAfterMs: LIMITER_DOWN_WAIT_MS })
    expect(classifyFailure(failure)).toMatchObject({ kind: 'retry', deferred: true })
    expect(udesk.urls).toEqual([])
  })

  it('pauses the whole account for Retry-After when Udesk answers 429', async ({ expect }) => {
    const stub = limiter(uniqueTag('rl'))
    const udesk = recorder(
      () => new Response('{"code":2029}', { status: 429, headers: { 'retry-after': '20' } }),
    )

    await rateLimitedFetch(stub, 3_000, udesk.fetch)('http://udesk.test/x', { method: 'GET' })
    const next = await stub.acquire(3_000)

    expect(next.granted).toBe(false)
    expect(next.waitMs).toBeGreaterThan(19_000)
  })
})

describe('deliveries under the account limit', () => {
  it('go back to the queue with Udesk Retry-After, and the next thread waits without calling Udesk', async ({
    expect,
  }) => {
    const busy = uniqueTag('busy')
    const next = uniqueTag('next')
    await addFault({
      method: 'POST',
      path: '/tickets',
      match: busy,
      fault: { kind: 'http', status: 429, retryAfter: 7 },
    })
    const deliver = (thread: string) =>
      threadCoordinator(env, 'events', thread).deliver([
        {
          event: openEvent({ thread, id: `${thread}:open` }),
          deliveryId: `msg_${thread}`,
          attempt: 1,
          final: false,
        },
      ])

    const [first] = await deliver(busy)
    const since = await lastCallSeq()
    const [second] = await deliver(next)

    expect(first).toMatchObject({ outcome: 'retry', errorCode: 'udesk_2029' })
    expect((first as { delayMs: number }).delayMs).toBeGreaterThan(6_000)
    // Nothing reached Udesk: the write left no intent behind.
    const intent = await runInDurableObject(threadCoordinator(env, 'events', busy), (_, s) =>
      new ThreadStore(s.storage).step(`${busy}:open`, 'create_ticket'),
    )
    expect(intent).toBeUndefined()
    expect(second).toMatchObject({ outcome: 'retry', errorCode: 'rate_limit_wait' })
    expect((second as { delayMs: number }).delayMs).toBeGreaterThan(5_000)
    expect(await callsMentioning(next, since)).toEqual([])
    // Waiting for the account's tokens is no failed attempt of the event.
    const waiting = await runInDurableObject(threadCoordinator(env, 'events', next), (_, s) =>
      new ThreadStore(s.storage).inboxRow(`${next}:open`),
    )
    expect(waiting).toMatchObject({ attempts: 0 })

    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 10_000)
    const [later] = await deliver(next)

    expect(later).toMatchObject({ outcome: 'applied' })
    expect(await ticketsTagged(next)).toHaveLength(1)
  })

  it('uses one bucket per Udesk account', async ({ expect }) => {
    const config = loadConfig(env)

    const a = rateLimiterFor(env, config).id.toString()
    const b = rateLimiterFor(env, { ...config }).id.toString()
    const other = rateLimiterFor(env, { ...config, UDESK_EMAIL: 'ops@other.example' }).id.toString()

    expect(a).toBe(b)
    expect(other).not.toBe(a)
  })
})
