import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import { threadCoordinator, type DeliveryItem } from '../../src/delivery/thread-coordinator'
import type { AlertEvent } from '../../src/ticket-event'
import { ticketsTagged } from './sim'

/**
 * One Alertmanager notification as the adapter turns it into an event: the listed alerts, all
 * with the notification's status (started at 500, ended at `at` when resolved).
 */
const T0 = Date.now()

export function alert(
  group: string,
  at: number,
  status: 'firing' | 'resolved',
  keys: string[],
): AlertEvent {
  return {
    type: 'alert',
    id: `${group}:${at}`,
    source: 'alertmanager',
    thread: group,
    receivedAt: T0 + at,
    status,
    subject: `[${status.toUpperCase()}] HighCPU ${group}`,
    content: `${status}: ${keys.join(', ')}`,
    sender: 'http://alertmanager.example.org:9093',
    alerts: keys.map((id) => ({
      id,
      status,
      startsAt: 500,
      ...(status === 'resolved' && { endsAt: at }),
    })),
    ticket: { priority: 'urgent' },
  }
}

export function deliver(group: string, ...events: AlertEvent[]) {
  return deliverAttempt(group, { final: false }, ...events)
}

/** `deliver`, on the queue's last attempt when `final` (a failure then gives the event up). */
export function deliverAttempt(
  group: string,
  { final }: { final: boolean },
  ...events: AlertEvent[]
) {
  const items: DeliveryItem[] = events.map((event) => ({
    event,
    deliveryId: `am_${event.id}`,
    attempt: 1,
    final,
  }))
  return threadCoordinator(env, 'alertmanager', group).deliver(items)
}

export async function ticketOf(group: string) {
  const tickets = await ticketsTagged(group)
  expect(tickets).toHaveLength(1)
  return tickets[0]!
}

export const notes = (t: { replies: { function_type: string; content: string }[] }) =>
  t.replies.map((r) => `${r.function_type}: ${r.content.split('<br>')[0]}`)
