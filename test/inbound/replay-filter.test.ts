import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { MARK_MEMORY_MS, RecentDeliveries } from '../../src/inbound/recent-deliveries'
import { replayNote, writeReplayNotes, type ReplayNote } from '../../src/inbound/replay-filter'

const unique = () => crypto.randomUUID().slice(0, 8)

/** An alert group's mark note, as the edge queues it (src/inbound/alert-intake.ts). */
function markNote(key: string, hash: string, acceptedAt: number): ReplayNote {
  const mark = { key, value: hash, ttlSeconds: 600 }
  return replayNote('alertmanager', { ids: ['ignored'], acceptedAt, eventIds: [], mark }, 604800)
}

describe('writeReplayNotes, the queue consumer writing what the edge accepted', () => {
  it("writes a delivery's record under its id and aliases, with the replay TTL", async ({
    expect,
  }) => {
    const id = `Ev${unique()}`
    const note = replayNote(
      'slack',
      { ids: [id, `client-${id}`], acceptedAt: 1_700_000_000_000, eventIds: [`slack:${id}:0`] },
      604800,
    )

    expect(await writeReplayNotes(env.BRIDGE_KV, [note])).toEqual([undefined])

    for (const key of [`replay:slack:${id}`, `replay:slack:client-${id}`]) {
      expect(await env.BRIDGE_KV.get(key, 'json')).toEqual({
        acceptedAt: 1_700_000_000_000,
        eventIds: [`slack:${id}:0`],
      })
    }
  })

  it('keeps the latest notification of a group when one batch holds two', async ({ expect }) => {
    const key = `replay:alertmanager:last:${unique()}`

    await writeReplayNotes(env.BRIDGE_KV, [
      markNote(key, 'resolved-hash', 2_000),
      markNote(key, 'firing-hash', 1_000),
    ])

    expect(await env.BRIDGE_KV.get(key)).toBe('resolved-hash')
  })

  it('never moves a mark back to an earlier notification written by a consumer running late', async ({
    expect,
  }) => {
    const key = `replay:alertmanager:last:${unique()}`
    await writeReplayNotes(env.BRIDGE_KV, [markNote(key, 'resolved-hash', 2_000)])

    await writeReplayNotes(env.BRIDGE_KV, [markNote(key, 'firing-hash', 1_000)])
    const later = await env.BRIDGE_KV.get(key)
    await writeReplayNotes(env.BRIDGE_KV, [markNote(key, 'refire-hash', 3_000)])

    // The firing after the resolve, byte for byte, must not read as a replay of the old mark.
    expect(later).toBe('resolved-hash')
    expect(await env.BRIDGE_KV.get(key)).toBe('refire-hash')
  })
})

describe('RecentDeliveries, the isolate memory in front of KV', () => {
  it('holds a mark with its value for a few seconds only, and a newer value replaces it', ({
    expect,
  }) => {
    const recent = new RecentDeliveries(10)
    recent.add('replay:am:last:g', 1_000 + MARK_MEMORY_MS, 'h1')

    expect(recent.valueOf('replay:am:last:g', 1_000)).toBe('h1')
    expect(recent.valueOf('replay:am:last:g', 1_000 + MARK_MEMORY_MS)).toBeUndefined()
    recent.add('replay:am:last:g', 2_000 + MARK_MEMORY_MS, 'h2')
    expect(recent.valueOf('replay:am:last:g', 2_000)).toBe('h2')
  })

  it('drops the oldest key once full', ({ expect }) => {
    const recent = new RecentDeliveries(2)
    for (const key of ['a', 'b', 'c']) recent.add(key, 10_000)

    expect(['a', 'b', 'c'].map((key) => recent.has(key, 0))).toEqual([false, true, true])
  })
})
