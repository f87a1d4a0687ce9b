import { describe, it } from 'vitest'
import {
  acquire,
  bucketConfig,
  fullBucket,
  pause,
  type BucketState,
} from '../../src/delivery/token-bucket'
import { acquireSpare, pollFloor } from '../../src/outbound/poll-budget'

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0)
const config = bucketConfig(60)

/** Writes every `writeEveryMs` (waiting as told) and, if asked, a poll try every 500 ms. */
function simulate(writeEveryMs: number, withPolls: boolean, minutes = 10) {
  let state: BucketState = fullBucket(config, T0)
  const writeWaits: number[] = []
  let polls = 0
  const events: { at: number; kind: 'write' | 'poll' }[] = []
  for (let at = 0; at < minutes * 60_000; at += writeEveryMs) events.push({ at, kind: 'write' })
  if (withPolls)
    for (let at = 250; at < minutes * 60_000; at += 500) events.push({ at, kind: 'poll' })
  events.sort((a, b) => a.at - b.at)
  for (const event of events) {
    if (event.kind === 'write') {
      const result = acquire(state, config, T0 + event.at, Infinity)
      writeWaits.push(result.waitMs)
      state = result.state
    } else {
      const result = acquireSpare(state, config, T0 + event.at)
      if (result.granted) polls += 1
      state = result.state
    }
  }
  return { writeWaits, polls }
}

describe('the poll budget', () => {
  it('gives polls the spare tokens of an idle account, keeping a floor for writes', ({
    expect,
  }) => {
    let state = fullBucket(config, T0)
    const results = [0, 0, 1_111, 1_112].map((at) => {
      const result = acquireSpare(state, config, T0 + at)
      state = result.state
      return result
    })

    expect(pollFloor(config)).toBe(5)
    expect(results.map((r) => r.granted)).toEqual([true, false, false, true])
    expect(results[1]).toMatchObject({ granted: false, retryInMs: 1112 })
  })

  it('grants no poll while writes wait for tokens', ({ expect }) => {
    let state = fullBucket(config, T0)
    for (let i = 0; i < 8; i++) state = acquire(state, config, T0, Infinity).state

    const poll = acquireSpare(state, config, T0)

    expect(poll.granted).toBe(false)
    expect(poll.state.tokens).toBe(state.tokens)
  })

  it('slows writes in an alert storm by one token at most, and polls get nothing then', ({
    expect,
  }) => {
    const alone = simulate(500, false)
    const shared = simulate(500, true)

    const slower = shared.writeWaits.map((wait, i) => wait - alone.writeWaits[i]!)
    expect(Math.max(...slower)).toBeLessThanOrEqual(Math.ceil(1 / config.refillPerMs))
    expect(shared.polls).toBeLessThanOrEqual(1)
  })

  it('lets polls use what a steady trickle of writes leaves, writes never waiting', ({
    expect,
  }) => {
    const { writeWaits, polls } = simulate(2_000, true)

    expect(Math.max(...writeWaits)).toBe(0)
    expect(writeWaits).toHaveLength(300)
    expect(polls).toBeGreaterThanOrEqual(180)
    expect(polls + writeWaits.length).toBeLessThanOrEqual(60 * 10)
  })

  it('waits out a pause Udesk asked for', ({ expect }) => {
    const paused = pause(fullBucket(config, T0), config, T0, T0 + 30_000)

    const poll = acquireSpare(paused, config, T0 + 1_000)

    expect(poll).toMatchObject({ granted: false })
    expect(!poll.granted && poll.retryInMs).toBeGreaterThanOrEqual(29_000)
  })
})
