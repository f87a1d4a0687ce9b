import { env } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { RecentDeliveries } from '../../src/inbound/recent-deliveries'
import {
  isRepeatHere,
  rememberMark,
  replayNote,
  writeReplayNotes,
} from '../../src/inbound/replay-filter'

const unique = () => crypto.randomUUID().slice(0, 8)

afterEach(() => {
  vi.restoreAllMocks()
})

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

  it('writes a delivery queued twice once', async ({ expect }) => {
    const id = `msg_${unique()}`
    const put = vi.spyOn(env.BRIDGE_KV, 'put')
    const note = (acceptedAt: number) =>
      replayNote('events', { ids: [id], acceptedAt, eventIds: [`events:${id}:0`] }, 604800)

    await writeReplayNotes(env.BRIDGE_KV, [note(1_000), note(2_000)])

    expect(put.mock.calls.map(([key]) => key)).toEqual([`replay:events:${id}`])
  })
})

describe("an alert group's mark, in the memory of the isolate that queued it", () => {
  it("answers an exact repeat within the source's replayTtlSeconds, and not from then on", ({
    expect,
  }) => {
    const mark = { key: `mark:am:${unique()}`, value: 'firing-hash', ttlSeconds: 90 }

    rememberMark(mark, Date.now() - 89_000)
    const within = isRepeatHere(mark)
    rememberMark(mark, Date.now() - 90_000)
    const past = isRepeatHere(mark)

    expect([within, past]).toEqual([true, false])
  })

  it('holds the latest notification only: the one before it is no repeat', ({ expect }) => {
    const key = `mark:am:${unique()}`
    const fire = { key, value: 'firing-hash', ttlSeconds: 600 }
    const resolve = { key, value: 'resolved-hash', ttlSeconds: 600 }

    rememberMark(fire, Date.now())
    rememberMark(resolve, Date.now())

    expect([isRepeatHere(resolve), isRepeatHere(fire)]).toEqual([true, false])
  })
})

describe('RecentDeliveries, the isolate memory in front of KV', () => {
  it('drops the oldest key once full', ({ expect }) => {
    const recent = new RecentDeliveries(2)
    for (const key of ['a', 'b', 'c']) recent.add(key, 10_000)

    expect(['a', 'b', 'c'].map((key) => recent.has(key, 0))).toEqual([false, true, true])
  })
})
