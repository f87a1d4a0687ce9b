import { setTimeout as delay } from 'node:timers/promises'
import { DEV, type Simulator } from '../test/e2e/harness'
import { customerWrites, type BenchThread } from './two-way-seed'

/** How the active conversations go: each round, the customer writes and an agent answers. */
export type Conversation = {
  rounds: number
  /** The agent answers this long (uniformly random, ms) after the customer's message. */
  thinkMs: [number, number]
  /** The customer writes again this long (ms) after the answer reached the thread. */
  pauseMs: [number, number]
  /** Ring the doorbell right after each answer, as a Udesk ticket trigger would. */
  doorbell: boolean
  /** An answer not in the thread after this long counts as never (Infinity). */
  giveUpMs: number
}

/**
 * Runs the conversations of `threads` at once (each starting at a random point of the first
 * pause) and answers, per agent reply, the milliseconds from the agent's reply being stored in
 * the simulator (its desk form answered) to the reply's text appearing in the Slack double's
 * thread, as a 250 ms watch of the double sees it.
 */
export async function converse(
  sim: Simulator,
  bridgeUrl: string,
  threads: BenchThread[],
  plan: Conversation,
  label: string,
): Promise<number[]> {
  const watch = slackWatch(sim)
  const latencies: number[] = []
  try {
    await Promise.all(
      threads.map(async (thread, n) => {
        await delay(uniform([0, plan.pauseMs[1]]))
        for (let round = 0; round < plan.rounds; round++) {
          const text = `${label} round ${round}: any news on thread ${n}?`
          await customerWrites(sim, bridgeUrl, {
            channel: thread.channel,
            text,
            threadTs: thread.ts,
          })
          await delay(uniform(plan.thinkMs))
          const answer = `bench-${label}-${n}-${round}: we are on it`
          const seen = watch.until(thread, answer, plan.giveUpMs)
          const repliedAt = await agentReplies(sim, thread.ticketId, answer)
          if (plan.doorbell) await ring(bridgeUrl, thread.ticketId)
          latencies.push((await seen) - repliedAt)
          await delay(uniform(plan.pauseMs))
        }
      }),
    )
  } finally {
    await watch.stop()
  }
  return latencies
}

/** A public reply through the simulator's agent desk; answers when it was stored (ms). */
async function agentReplies(sim: Simulator, ticketId: number, text: string): Promise<number> {
  const response = await fetch(`${sim.url}/_sim/inbox/tickets/${ticketId}/reply`, {
    method: 'POST',
    body: new URLSearchParams({ agent_id: '2', visibility: 'public', content: text }),
    redirect: 'manual',
  })
  await response.body?.cancel()
  if (response.status !== 303) throw new Error(`agent desk answered ${response.status}`)
  return performance.now()
}

/** What an admin's Udesk trigger sends (README, "Two-way"): the ticket id only. */
async function ring(bridgeUrl: string, ticketId: number): Promise<void> {
  const response = await fetch(`${bridgeUrl}/udesk/hook/${DEV.udeskHookToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket_id: ticketId }),
  })
  await response.text()
  if (response.status !== 202) throw new Error(`doorbell answered ${response.status}`)
}

type Waiter = { thread: BenchThread; text: string; resolve: (at: number) => void; until: number }

/** One reader of the Slack double's threads for every awaited message, every 250 ms. */
function slackWatch(sim: Simulator) {
  const waiters = new Set<Waiter>()
  let running = true
  const loop = (async () => {
    while (running) {
      await delay(250)
      if (waiters.size === 0) continue
      // A read that failed finds nothing: tried again next tick, its waiters give up in time.
      const channels = await slackChannels(sim)
      const now = performance.now()
      for (const waiter of waiters) {
        const thread = channels
          ?.find((c) => c.id === waiter.thread.channel)
          ?.threads.find((t) => t.ts === waiter.thread.ts)
        const found = thread?.messages.some((m) => m.text.includes(waiter.text))
        if (found || now > waiter.until) {
          waiters.delete(waiter)
          waiter.resolve(found ? now : Infinity)
        }
      }
    }
  })()
  return {
    until: (thread: BenchThread, text: string, giveUpMs: number) =>
      new Promise<number>((resolve) => {
        waiters.add({ thread, text, resolve, until: performance.now() + giveUpMs })
      }),
    stop: () => {
      running = false
      for (const waiter of waiters) waiter.resolve(Infinity)
      return loop
    },
  }
}

type SlackChannel = { id: string; threads: { ts: string; messages: { text: string }[] }[] }

/** The Slack double's channels, or undefined when it could not be read. */
async function slackChannels(sim: Simulator): Promise<SlackChannel[] | undefined> {
  try {
    const response = await fetch(`${sim.url}/_sim/slack/channels`)
    if (!response.ok) return undefined
    return ((await response.json()) as { channels: SlackChannel[] }).channels
  } catch {
    return undefined
  }
}

function uniform([min, max]: [number, number]): number {
  return min + Math.random() * (max - min)
}

/** Nearest-rank percentile (`p` in 0..100) of the samples; Infinity counts as the largest. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
