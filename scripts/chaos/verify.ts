import type { PlannedThread } from './plan'

export interface SimTicket {
  id: number
  subject: string
  status_en: string
  replies: { content: string }[]
}

export interface Verdict {
  /** Sent effects missing from Udesk: a thread without ticket, a reply, a resolve. */
  lost: number
  /** Effects present more than once: extra tickets of a thread, a reply added twice. */
  duplicated: number
  problems: string[]
}

/** Compares what the simulator holds with what was sent. */
export function verify(plan: PlannedThread[], tickets: SimTicket[]): Verdict {
  const verdict: Verdict = { lost: 0, duplicated: 0, problems: [] }
  const bySubject = new Map<string, SimTicket[]>()
  for (const ticket of tickets) {
    bySubject.set(ticket.subject, [...(bySubject.get(ticket.subject) ?? []), ticket])
  }
  for (const thread of plan) verifyThread(thread, bySubject.get(thread.subject) ?? [], verdict)
  return verdict
}

function verifyThread(thread: PlannedThread, tickets: SimTicket[], verdict: Verdict): void {
  const problem = (lost: number, duplicated: number, text: string) => {
    verdict.lost += lost
    verdict.duplicated += duplicated
    verdict.problems.push(`${thread.thread}: ${text}`)
  }
  if (tickets.length === 0) {
    return problem(thread.deliveries.length, 0, 'no ticket')
  }
  if (tickets.length > 1) problem(0, tickets.length - 1, `${tickets.length} tickets`)
  const replies = tickets.flatMap((t) => t.replies)
  for (const delivery of thread.deliveries) {
    if (delivery.kind === 'open') continue
    const found = replies.filter((r) => r.content.includes(delivery.marker)).length
    if (found === 0) problem(1, 0, `${delivery.kind} ${delivery.id} missing`)
    if (found > 1) problem(0, found - 1, `${delivery.kind} ${delivery.id} appears ${found} times`)
  }
  const resolves = thread.deliveries.some((d) => d.kind === 'resolve')
  if (resolves && !tickets.some((t) => t.status_en === 'resolved')) {
    problem(1, 0, `not resolved (status ${tickets.map((t) => t.status_en).join(', ')})`)
  }
}
