import { env } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import type { UdeskRateLimiter } from '../../src/delivery/rate-limiter'
import { readStats } from '../../src/delivery/stats'
import { page, signIn } from '../console/helpers'
import { ring, slackConversation } from '../helpers/two-way'

describe('one Udesk budget for writes and polls', () => {
  it('grants a poll only what writes leave, and counts both for the console', async ({
    expect,
  }) => {
    const ns = env.RATE_LIMITER as unknown as DurableObjectNamespace<UdeskRateLimiter>
    const limiter = ns.get(ns.idFromName(`budget-${crypto.randomUUID()}`))

    const idle = await limiter.acquirePoll()
    const write = await limiter.acquire(0)
    const afterWrite = await limiter.acquirePoll()
    const { usage } = await limiter.peek()

    expect(idle).toEqual({ granted: true, retryInMs: 0 })
    expect(write.granted).toBe(true)
    expect(afterWrite.granted).toBe(false)
    expect(afterWrite.retryInMs).toBeGreaterThan(0)
    expect(usage).toMatchObject({ writes: 1, polls: 1 })
  })

  it('shows the watched threads and the polling share on the overview', async ({ expect }) => {
    const before = (await readStats(env)).watched_threads
    const { ticketId, watch } = await slackConversation()
    await ring(ticketId)
    await vi.waitFor(async () => {
      if ((await watch.view())?.watch.lastPollAt === null) throw new Error('not polled yet')
    })

    const after = (await readStats(env)).watched_threads
    const html = await (await page('/admin', await signIn())).text()

    expect(after).toBe(before + 1)
    expect(html).toContain(`Watched threads</dt><dd>${after} (`)
    expect(html).toMatch(/Polling share<\/dt><dd><meter[^>]*>.*polls/)
  })
})
