import { ownValue } from '../config'
import type { WatchNote } from '../outbound/thread-watch'
import { threadWatch } from '../outbound/watch-refs'
import { loadTwoWayConfig, type TwoWayConfig } from '../two-way-config'

/** The thread an event belongs to. */
export interface ThreadRef {
  source: string
  thread: string
}

/**
 * What delivery tells the thread's two-way watch, for sources with somewhere to answer (a
 * Slack bot token, a webhook reply URL); for the others every call does nothing. Each throws
 * when the watch cannot be told, so the event is retried rather than a reply going back out.
 */
export interface TwoWay {
  /** The bridge created (or adopted) the thread's ticket: watch it, acknowledge it. */
  ticketOpened(ref: ThreadRef, ticketId: number): Promise<void>
  /** Before the bridge sets a status itself: a poll seeing it sends nothing back. */
  bridgeStatus(ref: ThreadRef, status: 'open' | 'resolved'): Promise<void>
  /**
   * After the bridge wrote a reply: its id is never sent back; a customer's message (not an
   * alert's note) also makes the watch hot.
   */
  bridgeReply(ref: ThreadRef, replyId: number | null, fromCustomer: boolean): Promise<void>
}

/**
 * The hooks, or undefined when no source answers. A two-way setting that does not parse turns
 * two-way off (logged; the doctor names it) rather than failing deliveries: tickets are opened
 * whatever the answers' configuration.
 */
export function twoWayFor(env: Env): TwoWay | undefined {
  let destinations: TwoWayConfig['destinations']
  try {
    destinations = loadTwoWayConfig(env).destinations
  } catch (err) {
    console.error(JSON.stringify({ msg: 'two-way off', error: String(err) }))
    return undefined
  }
  if (Object.keys(destinations).length === 0) return undefined
  const watch = (ref: ThreadRef) =>
    ownValue(destinations, ref.source) ? threadWatch(env, ref) : undefined
  const note = async (ref: ThreadRef, notes: WatchNote[]) => {
    if (notes.length > 0) await watch(ref)?.note(notes)
  }
  return {
    ticketOpened: async (ref, ticketId) => {
      await watch(ref)?.start({ source: ref.source, thread: ref.thread, ticketId })
    },
    bridgeStatus: (ref, status) => note(ref, [{ type: 'bridge_status', status }]),
    bridgeReply: (ref, replyId, fromCustomer) =>
      note(ref, [
        ...(replyId === null ? [] : [{ type: 'bridge_reply' as const, replyId }]),
        ...(fromCustomer ? [{ type: 'customer_message' as const }] : []),
      ]),
  }
}
