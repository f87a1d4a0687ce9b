/**
 * What the fault test sends: threads of the `events` source (Standard Webhooks), each an open,
 * follow-up replies and a resolve, every delivery carrying a marker that finds it in Udesk.
 */
export interface Delivery {
  /** `webhook-id`: the same for every copy of this delivery. */
  id: string
  thread: string
  kind: 'open' | 'reply' | 'resolve'
  body: string
  /** A unique text in the delivery's content (absent for the open, found by subject). */
  marker: string
}

export interface PlannedThread {
  thread: string
  subject: string
  deliveries: Delivery[]
}

export interface PlanOptions {
  events: number
  threads: number
  runId: string
}

/** Every delivery's marker: the trailing `;` keeps `#1;` from matching inside `#10;`. */
export function markerOf(deliveryId: string): string {
  return `chaos-marker:${deliveryId};`
}

export function buildPlan(options: PlanOptions): PlannedThread[] {
  const threads = Math.max(1, Math.min(options.threads, options.events))
  return Array.from({ length: threads }, (_, t) => {
    const count = Math.floor(options.events / threads) + (t < options.events % threads ? 1 : 0)
    return planThread(options.runId, t, count)
  })
}

function planThread(runId: string, t: number, count: number): PlannedThread {
  const thread = `chaos-${runId}-t${t}`
  const subject = `Chaos ${runId} thread ${t}`
  // Half the threads have a customer (customer replies), half none (internal notes).
  const customer = t % 2 === 0 ? { email: `chaos-${runId}-${t}@customer.example` } : undefined
  const deliveries: Delivery[] = []
  const add = (kind: Delivery['kind'], payload: Record<string, unknown>) => {
    const id = `${thread}-d${deliveries.length}`
    const marker = markerOf(id)
    const content = `${String(payload.content ?? '')} ${marker}`.trim()
    deliveries.push({ id, thread, kind, marker, body: JSON.stringify({ ...payload, content }) })
  }
  add('open', {
    type: 'ticket.open',
    thread,
    subject,
    content: `The checkout page fails for order ${t}.`,
    ...(customer && { customer }),
  })
  for (let i = 1; i < count - 1; i++) {
    add('reply', { type: 'ticket.reply', thread, content: `Follow-up ${i} on order ${t}.` })
  }
  if (count > 1) add('resolve', { type: 'ticket.resolve', thread, content: 'Fixed, thanks.' })
  return { thread, subject, deliveries }
}

/** One HTTP send job: `copies` simultaneous posts of one delivery. */
export interface SendJob {
  delivery: Delivery
  copies: number
}

/**
 * Every delivery is sent two or three times: half of the extra copies go out at the same moment
 * as the first, the rest later, at random. A fifth of the threads send a reply before their
 * open, and some resolves overtake the reply before them.
 */
export function schedule(plan: PlannedThread[], random: () => number): SendJob[] {
  const first: SendJob[][] = plan
    .map((t) => reorder([...t.deliveries], random))
    .map((deliveries) => deliveries.map((delivery) => ({ delivery, copies: 1 })))
  const later: SendJob[] = []
  for (const job of first.flat()) {
    const extra = random() < 0.5 ? 1 : 2
    for (let i = 0; i < extra; i++) {
      if (random() < 0.5) job.copies += 1
      else later.push({ delivery: job.delivery, copies: 1 })
    }
  }
  const jobs = interleave(first)
  for (const job of later) {
    const at = Math.floor(random() * (jobs.length + 1))
    jobs.splice(at, 0, job)
  }
  return jobs
}

function reorder(deliveries: Delivery[], random: () => number): Delivery[] {
  if (deliveries.length > 2 && random() < 0.2) {
    const [open, reply] = [deliveries[0]!, deliveries[1]!]
    deliveries[0] = reply
    deliveries[1] = open
  }
  const n = deliveries.length
  if (n > 3 && random() < 0.2) {
    const [a, b] = [deliveries[n - 2]!, deliveries[n - 1]!]
    deliveries[n - 2] = b
    deliveries[n - 1] = a
  }
  return deliveries
}

/** Round-robin across threads, so threads progress side by side. */
function interleave(lists: SendJob[][]): SendJob[] {
  const out: SendJob[] = []
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length) out.push(list[i]!)
  }
  return out
}

/** A small seeded generator (mulberry32), so a failing run can be repeated with --seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
