import { afterEach, describe, it, vi } from 'vitest'
import { LOGGED_IDS_PER_SOURCE, tallyDuplicate } from '../../src/inbound/duplicate-tally'

afterEach(() => {
  vi.restoreAllMocks()
})

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

function keptPromises() {
  const kept: Promise<unknown>[] = []
  return { kept, waitUntil: (p: Promise<unknown>) => void kept.push(p) }
}

describe('tallyDuplicate', () => {
  it("logs and counts a window's duplicates in one line and one ledger call", async ({
    expect,
  }) => {
    const { env, calls } = recordingEnv()
    const { kept, waitUntil } = keptPromises()
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)))

    for (let n = 0; n < 20; n++) {
      tallyDuplicate(env, { source: 'events', deliveryId: `msg_${n}`, counted: true }, waitUntil)
    }
    for (let n = 0; n < 3; n++) {
      tallyDuplicate(env, { source: 'slack', deliveryId: 'T1:C1:1.2', counted: true }, waitUntil)
    }
    tallyDuplicate(env, { source: 'contact', deliveryId: 'sub-1', counted: false }, waitUntil)
    await Promise.all(kept)

    expect(kept).toHaveLength(1)
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        msg: 'duplicates',
        status: 200,
        bySource: {
          events: {
            answered: 20,
            counted: 20,
            deliveryIds: Array.from({ length: LOGGED_IDS_PER_SOURCE }, (_, n) => `msg_${n}`),
          },
          slack: { answered: 3, counted: 3, deliveryIds: ['T1:C1:1.2'] },
          contact: { answered: 1, counted: 0, deliveryIds: ['sub-1'] },
        },
      },
    ])
    // An anonymous form post is logged but never written to the shared stats.
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
    const { kept, waitUntil } = keptPromises()
    vi.spyOn(console, 'log').mockImplementation(() => {})
    const duplicate = { source: 'events', deliveryId: 'msg_1', counted: true }

    tallyDuplicate(env, duplicate, waitUntil)
    await Promise.all(kept)
    tallyDuplicate(env, duplicate, waitUntil)
    await Promise.all(kept)

    expect(kept).toHaveLength(2)
    expect(calls.map((c) => c.counts)).toEqual([{ duplicates: 1 }, { duplicates: 1 }])
  })
})
