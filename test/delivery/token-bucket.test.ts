import { describe, it } from 'vitest'
import {
  acquire,
  bucketConfig,
  fullBucket,
  pause,
  reserveFor,
} from '../../src/delivery/token-bucket'

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0)
const LONG = 3_000

/** Takes tokens at the given moments (ms after T0), as callers that wait when told. */
function run(perMinute: number, moments: number[], maxWaitMs = Infinity) {
  const config = bucketConfig(perMinute)
  let state = fullBucket(config, T0)
  return moments.map((at) => {
    const result = acquire(state, config, T0 + at, maxWaitMs)
    state = result.state
    return result
  })
}

describe('token bucket', () => {
  it('lets a burst of a tenth of the limit through at once', ({ expect }) => {
    const results = run(60, [0, 0, 0, 0, 0, 0, 0])

    expect(results.map((r) => r.waitMs)).toEqual([0, 0, 0, 0, 0, 0, 1_112])
  })

  it('never lets more than the limit start in any 60 seconds', ({ expect }) => {
    // 200 callers arriving together, each starting its request when the bucket says.
    const starts = run(60, Array(200).fill(0)).map((r) => r.waitMs)

    for (const start of starts) {
      const inWindow = starts.filter((s) => s >= start && s < start + 60_000)
      expect(inWindow.length).toBeLessThanOrEqual(60)
    }
    // ...and uses it: only millisecond rounding keeps the 60th just past the first minute.
    expect(starts.filter((s) => s < 60_000).length).toBeGreaterThanOrEqual(59)
  })

  it('refuses, without reserving, a caller that would wait longer than it may', ({ expect }) => {
    const results = run(60, [...Array(6).fill(0), 0, 0], LONG)

    expect(results.slice(6).map((r) => [r.granted, r.waitMs])).toEqual([
      [true, 1_112],
      [true, 2_223],
    ])
    const refused = run(60, [...Array(8).fill(0), 0], LONG)[8]
    expect(refused).toMatchObject({ granted: false, waitMs: 3_334 })
  })

  it('refills with time', ({ expect }) => {
    const results = run(60, [0, 0, 0, 0, 0, 0, 60_000, 60_000])

    expect(results.slice(6).map((r) => r.waitMs)).toEqual([0, 0])
  })

  it('pauses everyone until Retry-After after a 429, then starts from empty', ({ expect }) => {
    const config = bucketConfig(60)
    const paused = pause(fullBucket(config, T0), config, T0, T0 + 30_000)

    const during = acquire(paused, config, T0 + 1_000, LONG)
    const after = acquire(paused, config, T0 + 30_000, LONG)

    expect(during).toMatchObject({ granted: false, waitMs: 29_000 + 1_112 })
    expect(after).toMatchObject({ granted: true, waitMs: 1_112 })
  })

  it('neither refills nor blocks when the clock goes back', ({ expect }) => {
    const config = bucketConfig(60)
    const spent = { tokens: 0.5, updatedAt: T0 + 5_000, pausedUntil: 0 }

    const result = acquire(spent, config, T0, LONG)

    expect(result).toMatchObject({ granted: true, waitMs: 556 })
  })

  it('keeps the longer pause when two 429s arrive', ({ expect }) => {
    const config = bucketConfig(60)
    const first = pause(fullBucket(config, T0), config, T0, T0 + 30_000)

    const second = pause(first, config, T0 + 1_000, T0 + 5_000)

    expect(second.pausedUntil).toBe(T0 + 30_000)
  })
})

describe('token bucket: shares', () => {
  /** Form calls every 100 ms for 30 s (each waiting up to 3 s), then one alert call. */
  function alertWaitBehindFormFlood(formPriority: 'low' | 'high') {
    const config = bucketConfig(60)
    let state = fullBucket(config, T0)
    for (let at = 0; at < 30_000; at += 100) {
      state = acquire(state, config, T0 + at, LONG, reserveFor(formPriority, config)).state
    }
    return acquire(state, config, T0 + 30_000, Infinity, reserveFor('high', config)).waitMs
  }

  it('keeps tokens for an alert however many form calls wait (alerts first)', ({ expect }) => {
    const shared = alertWaitBehindFormFlood('high')
    const behindLowForms = alertWaitBehindFormFlood('low')

    expect(shared).toBeGreaterThan(2_500)
    expect(behindLowForms).toBeLessThanOrEqual(1_200)
  })

  it('gives a low call only what the reserve leaves, and every class gets tokens', ({ expect }) => {
    const config = bucketConfig(60)
    const full = fullBucket(config, T0)

    const low = acquire(full, config, T0, 0, reserveFor('low', config))
    const normal = acquire(full, config, T0, 0, reserveFor('normal', config))

    expect([reserveFor('high', config), reserveFor('normal', config)]).toEqual([0, 2])
    expect(reserveFor('low', config)).toBe(3)
    expect(low.granted && normal.granted).toBe(true)
    expect(low.state.tokens).toBe(config.capacity - 1)
  })
})
