import { describe, it } from 'vitest'
import { tallyDuplicate } from '../../src/inbound/duplicate-tally'

/** An env whose ledger records each count call (src/delivery/count-stats.ts). */
function recordingEnv() {
  const calls: { shard: string; counts: unknown; bySource: unknown }[] = []
  const LEDGER = {
    idFromName: (name: string) => name,
    get: (shard: string) => ({
      count: async (counts: unknown, bySource: unknown) =>
        void calls.push({ shard, counts, bySource }),
    }),
  }
  return { env: { LEDGER } as unknown as Env, calls }
}

describe('tallyDuplicate', () => {
  it("adds a window's duplicates to the ledger in one call, by source", async ({ expect }) => {
    const { env, calls } = recordingEnv()
    const kept: Promise<unknown>[] = []
    const waitUntil = (p: Promise<unknown>) => void kept.push(p)

    for (let n = 0; n < 20; n++) tallyDuplicate(env, 'events', waitUntil)
    for (let n = 0; n < 3; n++) tallyDuplicate(env, 'slack', waitUntil)
    await Promise.all(kept)

    expect(kept).toHaveLength(1)
    expect(calls).toEqual([
      {
        shard: expect.stringMatching(/^stats-\d+$/),
        counts: { duplicates: 23 },
        bySource: { events: { duplicates: 20 }, slack: { duplicates: 3 } },
      },
    ])
  })

  it('opens a new window for the next duplicate once one was counted', async ({ expect }) => {
    const { env, calls } = recordingEnv()
    const kept: Promise<unknown>[] = []
    const waitUntil = (p: Promise<unknown>) => void kept.push(p)

    tallyDuplicate(env, 'events', waitUntil)
    await Promise.all(kept)
    tallyDuplicate(env, 'events', waitUntil)
    await Promise.all(kept)

    expect(kept).toHaveLength(2)
    expect(calls.map((c) => c.counts)).toEqual([{ duplicates: 1 }, { duplicates: 1 }])
  })
})
