import { describe, it } from 'vitest'
import { deliverySteps } from '../../src/console/trail-steps'
import type { DeliveryItem, DeliveryOutcome } from '../../src/delivery/outcomes'
import { openEvent } from '../delivery/sim'

const NOW = Date.parse('2026-11-30T12:00:00Z')

function item(id: string, attempt = 1): DeliveryItem {
  const event = openEvent({ thread: 't', id, receivedAt: NOW - 2000 })
  return { event, deliveryId: `wh_${id}`, attempt, final: false }
}

describe('an event’s steps after a delivery call', () => {
  it('records received, queued and applied with the ticket for a first delivery', ({ expect }) => {
    const outcome: DeliveryOutcome = { eventId: 'e1', ticketId: 848, outcome: 'applied' }

    const steps = deliverySteps([item('e1')], [outcome], () => undefined, NOW)

    expect(steps).toEqual([
      {
        eventId: 'e1',
        step: 'received',
        at: NOW - 2000,
        detail: { type: 'open', deliveryId: 'wh_e1' },
      },
      { eventId: 'e1', step: 'queued', at: NOW, detail: { attempt: 1 } },
      { eventId: 'e1', step: 'applied', at: NOW, detail: { ticketId: 848 } },
    ])
  })

  it('records a retry with its reason, and no second received', ({ expect }) => {
    const outcome: DeliveryOutcome = {
      eventId: 'e1',
      outcome: 'retry',
      delayMs: 4000,
      errorCode: 'udesk_http_status',
      error: 'POST /tickets: http_status: http 503',
    }

    const steps = deliverySteps([item('e1', 2)], [outcome], () => 'retried', NOW)

    expect(steps.map((s) => s.step)).toEqual(['queued', 'retried'])
    expect(steps[1]?.detail).toMatchObject({ errorCode: 'udesk_http_status', delayMs: 4000 })
  })

  it('records a dead-lettered event that comes back as replayed', ({ expect }) => {
    const outcome: DeliveryOutcome = { eventId: 'e1', ticketId: 9, outcome: 'applied' }

    const steps = deliverySteps([item('e1')], [outcome], () => 'dead_lettered', NOW)

    expect(steps.map((s) => s.step)).toEqual(['replayed', 'queued', 'applied'])
  })

  it('records one received for the same event twice in a batch', ({ expect }) => {
    const applied: DeliveryOutcome = { eventId: 'e1', outcome: 'applied' }
    const duplicate: DeliveryOutcome = { eventId: 'e1', outcome: 'duplicate' }

    const steps = deliverySteps(
      [item('e1'), item('e1')],
      [applied, duplicate],
      () => undefined,
      NOW,
    )

    expect(steps.map((s) => s.step)).toEqual([
      'received',
      'queued',
      'applied',
      'queued',
      'duplicate',
    ])
  })
})
