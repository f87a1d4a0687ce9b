import { env } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { readStats } from '../../src/delivery/stats'
import { deliver, openEvent, ticketsTagged, uniqueTag } from './sim'

afterEach(() => {
  vi.useRealTimers()
})

describe('a worker whose clock is off', () => {
  it('retries later and counts a clock problem once fresh signatures are refused too', async ({
    expect,
  }) => {
    const thread = uniqueTag('clock')
    const before = (await readStats(env)).clock_problems
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line))
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 10 * 60_000)

    const [outcome] = await deliver(thread, openEvent({ thread, id: `${thread}:open` }))
    vi.useRealTimers()

    expect(outcome).toMatchObject({ outcome: 'retry', errorCode: 'udesk_clock' })
    expect((await readStats(env)).clock_problems).toBe(before + 1)
    expect(errors.some((line) => line.includes('udesk clock problem'))).toBe(true)
    expect(await ticketsTagged(thread)).toEqual([])
  })
})
