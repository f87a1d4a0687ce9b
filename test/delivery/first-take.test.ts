import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { readDayBySource } from '../../src/delivery/stats'
import { consume, message } from './consume'
import { openEvent, ticketsTagged, uniqueTag } from './sim'

async function acceptedCount(source: string): Promise<number> {
  return (await readDayBySource(env)).get(source)?.totals.accepted ?? 0
}

/**
 * What the deliveries consumer does with a message's first delivery besides delivering it:
 * count it accepted, and write the replay note it carries (src/delivery/first-take.ts).
 */
describe("the consumer's first take of a message", () => {
  it('counts a first delivery accepted, but not a repeat the edge answered duplicate', async ({
    expect,
  }) => {
    const [first, repeated] = [uniqueTag('first'), uniqueTag('repeat')]
    const before = await acceptedCount('events')
    const repeat = message(openEvent({ thread: repeated, id: `${repeated}:open` }))

    const result = await consume(message(openEvent({ thread: first, id: `${first}:open` })), {
      ...repeat,
      body: { ...repeat.body, repeat: true },
    })

    expect(result.retryMessages).toEqual([])
    expect(await acceptedCount('events')).toBe(before + 1)
  })

  it("delivers a message carrying an earlier version's alert mark, and writes no key for it", async ({
    expect,
  }) => {
    const thread = uniqueTag('old-mark')
    const key = `replay:alertmanager:last:${thread}`
    const old = message(openEvent({ thread, id: `${thread}:open` }))
    const remember = {
      kind: 'mark',
      keys: [key],
      value: 'h',
      acceptedAt: Date.now(),
      ttlSeconds: 600,
    }

    const result = await consume({ ...old, body: { ...old.body, remember } })

    expect(result.explicitAcks).toEqual([old.id])
    expect(await ticketsTagged(thread)).toHaveLength(1)
    expect(await env.BRIDGE_KV.get(key)).toBeNull()
  })

  it("writes a delivery's replay note on its first delivery", async ({ expect }) => {
    const thread = uniqueTag('note')
    const key = `replay:events:wh_${thread}`
    const first = message(openEvent({ thread, id: `${thread}:open` }))
    const value = JSON.stringify({ acceptedAt: 1, eventIds: [`${thread}:open`] })
    const remember = { kind: 'delivery', keys: [key], value, acceptedAt: 1, ttlSeconds: 600 }

    await consume({ ...first, body: { ...first.body, remember } })

    expect(await env.BRIDGE_KV.get(key)).toBe(value)
  })
})
