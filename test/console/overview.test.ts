import { runInDurableObject } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { HOUR_MS } from '../../src/delivery/hourly-stats'
import type { DeliveryLedger } from '../../src/delivery/ledger'
import { readDayBySource } from '../../src/delivery/stats'
import { DUPLICATE_TALLY_MS } from '../../src/inbound/duplicate-tally'
import { standardWebhookRequest } from '../helpers/signed-request'
import { openEvent, ticketsTagged, uniqueTag } from '../delivery/sim'
import { page, signIn } from './helpers'

const WAIT = { timeout: 15_000, interval: 100 }

function shard(name: string): DurableObjectStub<DeliveryLedger> {
  const ns = env.LEDGER as unknown as DurableObjectNamespace<DeliveryLedger>
  return ns.get(ns.idFromName(name))
}

async function counted(source: string, name: string): Promise<number> {
  return (await readDayBySource(env)).get(source)?.totals[name] ?? 0
}

describe('the Overview counts per source over the last 24 hours', () => {
  it('shows each source’s deliveries in the 24-hour read and on the page', async ({ expect }) => {
    const before = {
      events: await counted('events', 'delivered'),
      contact: await counted('contact', 'delivered'),
    }
    const tags = [uniqueTag('overview-events'), uniqueTag('overview-contact')]
    await env.DELIVERY_QUEUE.send({
      event: openEvent({ thread: tags[0]!, id: `${tags[0]}:open` }),
      deliveryId: `wh_${tags[0]}`,
    })
    await env.DELIVERY_QUEUE.send({
      event: openEvent({ source: 'contact', thread: tags[1]!, id: `${tags[1]}:open` }),
      deliveryId: `form_${tags[1]}`,
    })
    await vi.waitFor(async () => {
      for (const tag of tags) if ((await ticketsTagged(tag)).length !== 1) throw new Error(tag)
      if ((await counted('events', 'delivered')) <= before.events) throw new Error('events')
      if ((await counted('contact', 'delivered')) <= before.contact) throw new Error('contact')
    }, WAIT)
    const day = await readDayBySource(env)
    expect(day.get('events')?.totals.accepted).toBeGreaterThanOrEqual(1)
    expect(day.get('contact')?.totals.accepted).toBeGreaterThanOrEqual(1)
    const hourNow = day.get('contact')?.hours.delivered?.at(-1)
    expect(hourNow).toBeGreaterThanOrEqual(1)

    const html = await (await page('/admin', await signIn())).text()

    const row = (source: string) =>
      new RegExp(`<th scope="row">${source}</th>(<td class="n">\\d+</td>){6}`)
    expect(html).toMatch(row('events'))
    expect(html).toMatch(row('contact'))
    expect(html).toMatch(/<svg[^>]*aria-label="contact, accepted: [1-9]\d* in the last 24 hours"/)
    expect(html).not.toContain('<script')
    expect(html).not.toContain('style=')
  })

  it('counts a signed sender’s redelivery as a duplicate of its source', async ({ expect }) => {
    const thread = uniqueTag('overview-dup')
    const payload = { type: 'ticket.open', thread, subject: 'Cannot log in', content: 'Expired.' }
    const id = `msg_${thread}`
    await exports.default.fetch(await standardWebhookRequest(payload, { id }))
    const before = await counted('events', 'duplicates')

    const again = await exports.default.fetch(await standardWebhookRequest(payload, { id }))

    expect(again.status).toBe(200)
    await vi.waitFor(async () => {
      if ((await counted('events', 'duplicates')) <= before) throw new Error('not counted yet')
    }, WAIT)
  })

  it('counts every one of a burst of redeliveries', async ({ expect }) => {
    const thread = uniqueTag('overview-burst')
    const payload = { type: 'ticket.open', thread, subject: 'Cannot log in', content: 'Expired.' }
    const id = `msg_${thread}`
    await exports.default.fetch(await standardWebhookRequest(payload, { id }))
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_TALLY_MS + 200))
    const before = await counted('events', 'duplicates')

    const answers = await Promise.all(
      Array.from(
        { length: 20 },
        async () =>
          (await exports.default.fetch(await standardWebhookRequest(payload, { id }))).status,
      ),
    )

    expect(answers).toEqual(Array(20).fill(200))
    await vi.waitFor(async () => {
      if ((await counted('events', 'duplicates')) < before + 20) throw new Error('not counted yet')
    }, WAIT)
    expect(await counted('events', 'duplicates')).toBe(before + 20)
  })

  it('does not count buckets older than 24 hours, and prunes them on the next write', async ({
    expect,
  }) => {
    const source = uniqueTag('old-source')
    const now = Date.UTC(2030, 0, 2, 12, 30)
    const ledger = shard('stats-7')
    await ledger.count({}, { [source]: { delivered: 5 } }, now - 24 * HOUR_MS)
    await ledger.count({}, { [source]: { delivered: 3 } }, now - 23 * HOUR_MS)
    await ledger.count({}, { [source]: { delivered: 1, retried: 2 } }, now)

    const day = (await readDayBySource(env, now)).get(source)

    expect(day?.totals).toEqual({ delivered: 4, retried: 2 })
    expect(day?.hours.delivered?.[0]).toBe(3)
    expect(day?.hours.delivered?.[23]).toBe(1)
    // 25 hours after the oldest bucket's hour began, the next write of the shard drops it.
    const later = now + HOUR_MS
    await ledger.count({}, { [source]: { accepted: 1 } }, later)
    const kept = await runInDurableObject(ledger, (_, state) =>
      state.storage.sql
        .exec<{ hour: number }>(`SELECT hour FROM hourly WHERE source = ? ORDER BY hour`, source)
        .toArray()
        .map((r) => (now - r.hour) / HOUR_MS),
    )
    expect(kept).toEqual([23.5, 0.5, 0.5, -0.5])
  })

  it('names the source an escaped value in the table', async ({ expect }) => {
    const source = `<img src=x onerror=alert(1)>${uniqueTag('x')}`
    await shard('stats-2').count({}, { [source]: { duplicates: 1 } })

    const html = await (await page('/admin', await signIn())).text()

    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})
