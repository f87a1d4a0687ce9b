import { describe, it } from 'vitest'
import { chaosSummary, runChaos } from '../../scripts/chaos/run'

/**
 * The fault test at CI size (`npm run chaos` runs it at 1,000 events): the real worker under
 * wrangler's local queue, KV and Durable Objects, a simulator failing ~30% of calls.
 */
describe('delivery under faults', () => {
  it(
    'loses and duplicates nothing, alert repeats included, while Udesk fails 30% of calls and fails all of them after a lost create',
    { timeout: 480_000 },
    async ({ expect }) => {
      const result = await runChaos({
        events: 120,
        threads: 15,
        alertGroups: 6,
        faultRate: 0.3,
        seed: 20_260_105,
        requestsPerMinute: 3000,
        concurrency: 8,
        timeoutSeconds: 360,
        outageSeconds: 30,
      })
      console.log(chaosSummary(result))

      expect(result.problems).toEqual([])
      expect(result.senderErrors).toEqual([])
      expect(result).toMatchObject({ lost: 0, duplicated: 0, rateLimited: 0 })
      expect(result).toMatchObject({ outage: true })
      // The run really was faulty: a fault-free run would prove nothing.
      expect(result.faults).toBeGreaterThan(result.udeskCalls * 0.15)
    },
  )
})
