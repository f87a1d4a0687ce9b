import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, it } from 'vitest'
import { EventTrail, MAX_TRAIL_ENTRIES } from '../../src/console/trail'
import type { TrailStep } from '../../src/console/trail-steps'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { uniqueTag } from '../delivery/sim'

describe('the trail kept in the thread’s Durable Object', () => {
  it(`keeps at most ${MAX_TRAIL_ENTRIES} steps, dropping the oldest`, async ({ expect }) => {
    const stub = threadCoordinator(env, 'events', uniqueTag('trail-bound'))

    const events = await runInDurableObject(stub, async (_instance, state) => {
      const trail = new EventTrail(state.storage, env.BRIDGE_KV)
      for (let i = 0; i < MAX_TRAIL_ENTRIES / 2 + 10; i++) {
        await trail.deadLettered(`old-${i}`, { reason: 'max_attempts' })
        await trail.deadLettered(`new-${i}`, { reason: 'max_attempts' })
      }
      return trail.events()
    })

    const steps = events.flatMap((e) => e.steps.map((s) => s.step as TrailStep))
    expect(steps).toHaveLength(MAX_TRAIL_ENTRIES)
    expect(events[0]?.eventId).toBe('old-10')
    expect(events.at(-1)?.eventId).toBe(`new-${MAX_TRAIL_ENTRIES / 2 + 9}`)
  })
})
