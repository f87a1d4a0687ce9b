import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { startBridge, type Bridge, type SimulatorCall } from '../test/e2e/harness'
import { signedEvent, slackMessageAt, type AckRequest } from './ack-requests'

/**
 * Udesk calls per event over a realistic mix, counted from the simulator's call log: each
 * phase's events are sent, the bridge's queue drains, and the calls it made in between are
 * that phase's. `scale` multiplies the threads (1x: 5 of each kind).
 */
export type Phase = {
  name: string
  /** At most this many calls per event (issue 13's targets). */
  target: number
  events: number
  /** The delivery's calls (writes and the lookups they need), against `target`. */
  calls: number
  /**
   * Two-way's reads besides (the acknowledgement's ticket number, the sweep's exports, reply
   * lists): spare budget only, never ahead of a write (README, "Two-way: polling, doorbell and
   * webhook replies"), so apart from the target.
   */
  twoWayReads: number
  /** Calls by `METHOD path`, for reading where they went. */
  byCall: Record<string, number>
}

export const THREADS_AT_1X = 5
const REPLIES_PER_THREAD = 2

type Sender = (request: AckRequest) => Promise<void>

/** The mix at `scale` x the threads, on a bridge of its own with its queue consumer on. */
export async function measureUdeskCalls(scale: number): Promise<Phase[]> {
  const bridge = await startBridge({ bindings: { UDESK_MAX_REQUESTS_PER_MINUTE: '100000' } })
  try {
    const send: Sender = async (request) => {
      const { path, method, headers, body } = request
      const response = await fetch(`${bridge.url}${path}`, { method, headers, body: String(body) })
      const answer = await response.text()
      if (response.status !== 202) throw new Error(`${path}: HTTP ${response.status} ${answer}`)
    }
    const threads = THREADS_AT_1X * scale
    const run = randomUUID().slice(0, 8)
    const phases: Phase[] = []
    const phase = async (name: string, target: number, requests: AckRequest[]) => {
      phases.push(await measurePhase(bridge, name, target, requests, send))
    }
    const forms = Array.from({ length: threads }, (_, n) => formPost(`${run}-${n}`))
    await phase('form, new customer (ticket)', 3, forms)
    await phase('form, returning customer (ticket)', 1, forms)
    // Each thread from a Slack user of its own (new customers), then replies in them, then a
    // new thread from each of the same users (returning customers).
    const base = scale * 1_000_000
    const user = (n: number) => ({ user: `U${run}${n}`.toUpperCase() })
    const parents = Array.from({ length: threads }, (_, n) => slackMessageAt(base + n, user(n)))
    await phase('Slack, new user, new thread (ticket)', 3, parents)
    await phase('Slack, thread reply (note)', 1, slackReplies(threads, base, user))
    const again = Array.from({ length: threads }, (_, n) =>
      slackMessageAt(base + 900_000 + n, user(n)),
    )
    await phase('Slack, returning user, new thread (ticket)', 1, again)
    const opens = Array.from({ length: threads }, (_, n) => webhook(run, n, 'ticket.open'))
    await phase('Standard Webhooks, ticket.open', 3, opens)
    const replies = Array.from({ length: threads * REPLIES_PER_THREAD }, (_, n) =>
      webhook(run, n % threads, 'ticket.reply', n),
    )
    await phase('Standard Webhooks, ticket.reply', 1, replies)
    const resolves = Array.from({ length: threads }, (_, n) => webhook(run, n, 'ticket.resolve'))
    // A resolve with a closing note: the note, then the status.
    await phase('Standard Webhooks, ticket.resolve with a note', 2, resolves)
    return phases
  } finally {
    await bridge.stop()
  }
}

async function measurePhase(
  bridge: Bridge,
  name: string,
  target: number,
  requests: AckRequest[],
  send: Sender,
): Promise<Phase> {
  const before = (await bridge.sim.control.calls()).length
  for (let i = 0; i < requests.length; i += 8) {
    await Promise.all(requests.slice(i, i + 8).map(send))
  }
  const calls = (await settled(bridge)).slice(before)
  const byCall: Record<string, number> = {}
  for (const c of calls) byCall[callName(c)] = (byCall[callName(c)] ?? 0) + 1
  const twoWayReads = calls.filter((c) => TWO_WAY_READS.has(callName(c))).length
  const delivery = calls.length - twoWayReads
  return { name, target, events: requests.length, calls: delivery, twoWayReads, byCall }
}

/**
 * The reads only two-way makes in this mix (the delivery reads a ticket or its replies only
 * to settle a write whose answer was lost, and the mix injects no fault).
 */
const TWO_WAY_READS = new Set([
  'GET /tickets/detail',
  'GET /tickets/export',
  'GET /tickets/:id/replies',
])

/** `GET /tickets/123/replies` -> `GET /tickets/:id/replies`. */
function callName(call: SimulatorCall): string {
  const path = call.path.replace(/^\/open_api_v1\//, '').replace(/\/\d+(?=\/|$)/g, '/:id')
  return `${call.method} ${path}`
}

/**
 * The call log once it has not grown for four seconds (the queue drained: a batch waits up to
 * a second, and a redelivery with its delay longer).
 */
async function settled(bridge: Bridge): Promise<SimulatorCall[]> {
  let last: SimulatorCall[] = []
  for (let still = 0; still < 8;) {
    await delay(500)
    const calls = await bridge.sim.control.calls()
    still = calls.length === last.length ? still + 1 : 0
    last = calls
  }
  return last
}

let posts = 0

/** From an address of its own each time: the per-client form limit is not what is measured. */
function formPost(person: string): AckRequest {
  const n = posts++
  const body = new URLSearchParams({
    name: `Customer ${person}`,
    email: `mix-${person}@example.com`,
    message: 'My order never arrived.',
  }).toString()
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'cf-connecting-ip': `10.99.${(n >> 8) & 255}.${n & 255}`,
  }
  return { method: 'POST', path: '/webhooks/contact', headers, body }
}

/** Replies in each thread `slackMessageAt(base + n)` opened, by the thread's own user. */
function slackReplies(
  threads: number,
  base: number,
  user: (n: number) => { user: string },
): AckRequest[] {
  return Array.from({ length: threads * REPLIES_PER_THREAD }, (_, i) => {
    const n = i % threads
    const parentTs = JSON.parse(String(slackMessageAt(base + n).body)).event.ts as string
    return slackMessageAt(base + 500_000 + i, {
      ...user(n),
      thread_ts: parentTs,
      parent_user_id: user(n).user,
      text: `Reply ${i}: it happens on Safari too.`,
    })
  })
}

function webhook(run: string, thread: number, type: string, n = 0): AckRequest {
  const body = JSON.stringify({
    type,
    thread: `mix-${run}-${thread}`,
    ...(type === 'ticket.open' && {
      subject: `Order ${thread} never arrived`,
      customer: { email: `mix-webhook-${run}-${thread}@example.com` },
    }),
    content: `Event ${n} of thread ${thread}.`,
  })
  return signedEvent(`msg_mix_${run}_${thread}_${type}_${n}`, body)
}
