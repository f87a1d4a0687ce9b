import { describe, it } from 'vitest'
import {
  afterDelivery,
  emptyOutbox,
  enqueue,
  MAX_DELIVERY_FAILURES,
  resume,
  type DeliveryResult,
  type OutboxState,
} from '../../src/outbound/outbox'
import type { OutboundAction } from '../../src/outbound/watch-runner'

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0)

function replyAction(id: number): OutboundAction {
  const reply = {
    id,
    content: `<p>${id}</p>`,
    contentFormat: 'html' as const,
    createdAt: null,
    authorName: 'Tom',
    attachments: [],
  }
  return { type: 'send_reply', ticketId: 848, reply }
}
const statusAction: OutboundAction = {
  type: 'send_status',
  ticketId: 848,
  from: 'open',
  to: 'resolved',
  seq: 1,
}

function failing(
  kind: 'permanent' | 'rejected' | 'transient',
  error: string,
  steps = 0,
): DeliveryResult {
  return { ok: false, kind, error, steps }
}
const ids = (state: OutboxState) => state.items.map((item) => item.id)

describe("a thread's outbox", () => {
  it('delivers in order, one at a time, each action once', ({ expect }) => {
    let state = enqueue(emptyOutbox(), [replyAction(1), statusAction], T0)
    state = enqueue(state, [replyAction(1), replyAction(2)], T0 + 1)

    const first = afterDelivery(state, { ok: true }, T0 + 2)
    const second = afterDelivery(first.state, { ok: true }, T0 + 3)

    expect(ids(state)).toEqual(['reply_1', 'status_1', 'reply_2'])
    expect(state.nextAttemptAt).toBe(T0)
    expect(ids(second.state)).toEqual(['reply_2'])
    expect(second.state.nextAttemptAt).toBe(T0 + 3)
    expect(afterDelivery(second.state, { ok: true }, T0 + 4).state).toEqual(emptyOutbox())
  })

  it("waits Slack's Retry-After with the head first and its posted parts kept", ({ expect }) => {
    const state = enqueue(emptyOutbox(), [replyAction(1), replyAction(2)], T0)
    const limited = {
      ok: false,
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      steps: 2,
      error: 'ratelimited',
    } as const

    const { state: next, effects } = afterDelivery(state, limited, T0)

    expect(effects).toEqual([])
    expect(ids(next)).toEqual(['reply_1', 'reply_2'])
    expect(next.items[0]).toMatchObject({ steps: 2, failures: 0 })
    expect(next.nextAttemptAt).toBe(T0 + 30_000)
  })

  it('backs off after transient failures, looks first after a timeout, then gives up', ({
    expect,
  }) => {
    let state = enqueue(emptyOutbox(), [replyAction(1), replyAction(2)], T0)
    const waits: number[] = []
    let given: unknown[] = []
    for (let i = 0; i < MAX_DELIVERY_FAILURES; i++) {
      const result = afterDelivery(
        state,
        failing('transient', i === 0 ? 'timeout' : 'http_503'),
        T0,
      )
      if (i === 0) expect(result.state.items[0]?.uncertain).toBe(true)
      state = result.state
      given = result.effects
      if (state.nextAttemptAt !== null) waits.push(state.nextAttemptAt - T0)
    }

    expect(waits.slice(0, 7)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000])
    expect(given).toMatchObject([
      { type: 'dead_letter', reason: 'max_attempts', item: { id: 'reply_1' } },
    ])
    expect(ids(state)).toEqual(['reply_2'])
  })

  it("uses a webhook's own retry delay when the result names one", ({ expect }) => {
    const state = enqueue(emptyOutbox(), [statusAction], T0)

    const { state: next } = afterDelivery(
      state,
      {
        ok: false,
        kind: 'transient',
        error: 'http_500',
        steps: 0,
        retryInMs: 300_000,
      },
      T0,
    )

    expect(next.nextAttemptAt).toBe(T0 + 300_000)
  })

  it('dead-letters a refused item alone and goes on', ({ expect }) => {
    const state = enqueue(emptyOutbox(), [replyAction(1), replyAction(2)], T0)

    const { state: next, effects } = afterDelivery(state, failing('rejected', 'msg_too_long'), T0)

    expect(effects).toMatchObject([
      { type: 'dead_letter', reason: 'rejected', error: 'msg_too_long' },
    ])
    expect(ids(next)).toEqual(['reply_2'])
    expect(next.nextAttemptAt).toBe(T0)
  })

  it('pauses on a permanent error and resumes with the replayed item first', ({ expect }) => {
    const state = enqueue(emptyOutbox(), [replyAction(1), replyAction(2)], T0)
    const { state: paused, effects } = afterDelivery(
      state,
      failing('permanent', 'not_in_channel', 1),
      T0,
    )
    const waiting = enqueue(paused, [replyAction(3)], T0 + 5)
    const dead = effects[0]?.type === 'dead_letter' ? effects[0].item : undefined

    const resumed = resume(waiting, dead, T0 + 60_000)

    expect(effects.map((e) => e.type)).toEqual(['dead_letter', 'pause_watch'])
    expect(waiting).toMatchObject({ paused: true, nextAttemptAt: null })
    expect(ids(resumed)).toEqual(['reply_1', 'reply_2', 'reply_3'])
    expect(resumed.items[0]).toMatchObject({ steps: 1 })
    expect(resumed.nextAttemptAt).toBe(T0 + 60_000)
  })
})
