import { env, exports } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, it, vi } from 'vitest'
import { deadLetter, deadLetterId } from '../../src/delivery/dead-letters'
import { ledger } from '../../src/delivery/ledger'
import { readDayBySource, readStats } from '../../src/delivery/stats'
import type { DeadLetterMessage } from '../../src/delivery/message'
import worker from '../../src/index'
import { openEvent, ticketsTagged, uniqueTag } from '../delivery/sim'

const ADMIN = { authorization: 'Bearer dev-admin-token' }

function admin(path: string, init: RequestInit = {}) {
  return exports.default.fetch(`http://bridge.test${path}`, {
    ...init,
    headers: { ...ADMIN, ...init.headers },
  })
}

/** A dead letter as the consumer sends it, stored through the real dead-letter queue. */
async function deadLettered(
  tag: string,
  content?: string,
): Promise<{ id: string; letter: DeadLetterMessage }> {
  const event = openEvent({ thread: tag, id: `${tag}:open` }, content ? { content } : {})
  const message = { event, deliveryId: `wh_${tag}` }
  const letter = deadLetter(message, 'max_attempts', 12, 'POST /tickets: http_status: http 503')
  await env.DEAD_LETTER_QUEUE.send(letter)
  const id = await deadLetterId(message)
  await vi.waitFor(
    async () => {
      if (!(await ledger(env).getDeadLetter(id))) throw new Error('not stored yet')
    },
    { timeout: 5_000 },
  )
  return { id, letter }
}

describe('admin authentication', () => {
  it('answers 401 without a bearer token', async ({ expect }) => {
    const response = await exports.default.fetch('http://bridge.test/admin/stats')

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: 'unauthorized',
      message: 'bearer token required',
    })
  })

  it('answers 401 for a wrong token', async ({ expect }) => {
    const response = await admin('/admin/stats', {
      headers: { authorization: 'Bearer dev-admin-tokeN' },
    })

    expect(response.status).toBe(401)
  })

  it('does not exist (404) when ADMIN_TOKEN is not configured', async ({ expect }) => {
    const unconfigured = { ...env, ADMIN_TOKEN: undefined } as unknown as Env

    const response = await worker.fetch(
      new Request('http://bridge.test/admin/stats', { headers: ADMIN }),
      unconfigured,
      createExecutionContext(),
    )

    expect(response.status).toBe(404)
  })
})

describe('GET /admin/stats', () => {
  it('counts what the consumer delivered', async ({ expect }) => {
    const thread = uniqueTag('stats')
    await env.DELIVERY_QUEUE.send({
      event: openEvent({ thread, id: `${thread}:open` }),
      deliveryId: 'wh_stats',
    })

    const stats = await vi.waitFor(
      async () => {
        const body = (await (await admin('/admin/stats')).json()) as Record<string, number>
        if (body.delivered! < 1) throw new Error('not delivered yet')
        return body
      },
      { timeout: 5_000 },
    )

    expect(Object.keys(stats).sort()).toEqual(
      [
        'accepted',
        'clock_problems',
        'dead_lettered',
        'delivered',
        'duplicates',
        'replayed',
        'retried',
        'threads_awaiting_create',
        'watched_threads',
      ].sort(),
    )
    expect(await ticketsTagged(thread)).toHaveLength(1)
  })
})

// Each post waits for the duplicate tally's one-second window (waitOnExecutionContext): a busy
// machine's full suite has taken it past the default 5 s.
describe('stats and anonymous senders', { timeout: 20_000 }, () => {
  it('are not written by a re-sent form, which anyone can post', async ({ expect }) => {
    const body = new URLSearchParams({
      email: 'anon@example.com',
      message: 'Call me back.',
      _submission_id: uniqueTag('anon'),
    }).toString()
    const post = async () => {
      const ctx = createExecutionContext()
      const response = await worker.fetch(
        new Request('http://bridge.test/webhooks/contact', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body,
        }),
        env,
        ctx,
      )
      await waitOnExecutionContext(ctx)
      return response
    }
    await post()
    const before = (await readStats(env)).duplicates
    const today = async () => (await readDayBySource(env)).get('contact')?.totals.duplicates ?? 0
    const todayBefore = await today()

    const again = await post()

    expect(again.status).toBe(200)
    expect((await readStats(env)).duplicates).toBe(before)
    expect(await today()).toBe(todayBefore)
  })
})

describe('dead letters', () => {
  it('are listed with payload, source, attempts, last error and reason', async ({ expect }) => {
    const tag = uniqueTag('listed')
    const { id, letter } = await deadLettered(tag)

    const response = await admin('/admin/dead-letters?limit=1000')

    expect(response.status).toBe(200)
    const body = (await response.json()) as { total: number; items: Record<string, unknown>[] }
    expect(body.items.find((item) => item.id === id)).toEqual({
      id,
      reason: 'max_attempts',
      attempts: 12,
      lastError: 'POST /tickets: http_status: http 503',
      failedAt: new Date(letter.failedAt).toISOString(),
      storedAt: expect.any(String),
      source: 'events',
      thread: tag,
      eventId: `${tag}:open`,
      eventType: 'open',
      deliveryId: `wh_${tag}`,
      payload: letter.event,
    })
  })

  it('replays one: back on the queue, delivered, and gone from the list', async ({ expect }) => {
    const tag = uniqueTag('replay-one')
    const { id } = await deadLettered(tag)

    const response = await admin(`/admin/dead-letters/${id}/replay`, { method: 'POST' })

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ replayed: 1 })
    expect(await ledger(env).getDeadLetter(id)).toBeUndefined()
    const tickets = await vi.waitFor(
      async () => {
        const found = await ticketsTagged(tag)
        if (found.length === 0) throw new Error('not delivered yet')
        return found
      },
      { timeout: 5_000 },
    )
    expect(tickets).toHaveLength(1)
  })

  it('replays all of them', async ({ expect }) => {
    const tags = [uniqueTag('replay-all'), uniqueTag('replay-all')]
    for (const tag of tags) await deadLettered(tag)
    const before = (await readStats(env)).replayed

    const response = await admin('/admin/dead-letters/replay', { method: 'POST' })

    const body = (await response.json()) as { replayed: number }
    expect(body.replayed).toBeGreaterThanOrEqual(2)
    expect((await ledger(env).listDeadLetters()).total).toBe(0)
    expect((await readStats(env)).replayed).toBe(before + body.replayed)
    for (const tag of tags) {
      await vi.waitFor(
        async () => {
          if ((await ticketsTagged(tag)).length !== 1) throw new Error('not delivered yet')
        },
        { timeout: 5_000 },
      )
    }
  })

  it('replays letters of ~100 KB each in batches under the queue limit of 256 KB', async ({
    expect,
  }) => {
    const tags = [1, 2, 3, 4].map(() => uniqueTag('replay-big'))
    // A long log pasted into a form: each letter is close to 100 KB.
    const log = 'TypeError: undefined is not a function\n'.repeat(2_500)
    for (const tag of tags) await deadLettered(tag, log)

    const response = await admin('/admin/dead-letters/replay', { method: 'POST' })

    expect(response.status).toBe(200)
    expect(((await response.json()) as { replayed: number }).replayed).toBeGreaterThanOrEqual(4)
    expect((await ledger(env).listDeadLetters()).total).toBe(0)
  })

  it('answers 404 for a replay of an unknown id', async ({ expect }) => {
    const response = await admin('/admin/dead-letters/0123456789abcdef/replay', { method: 'POST' })

    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such dead letter' })
  })
})
