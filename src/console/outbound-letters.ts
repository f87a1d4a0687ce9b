import { ledger, type DeadLetterRecord } from '../delivery/ledger'
import { countStats } from '../delivery/stats'
import { isOutboundLetter, type OutboundLetter } from '../outbound/outbound-letter'
import { threadWatch } from '../outbound/watch-refs'

export type OutboundRecord = DeadLetterRecord & OutboundLetter

export function isOutboundRecord(letter: DeadLetterRecord): letter is OutboundRecord {
  return isOutboundLetter(letter)
}

/**
 * Hands each letter's item back to its thread's watch, which puts it first in its queue and
 * resumes delivering and polling; then forgets the letter. A thread that is no longer watched
 * (its storage was deleted) keeps its letter: there is nothing to resume.
 */
export async function replayOutbound(env: Env, letters: OutboundRecord[]): Promise<number> {
  let replayed = 0
  for (const letter of letters) {
    const { source, thread, item } = letter.outbound
    if (!(await threadWatch(env, { source, thread }).resume(item))) continue
    await ledger(env).removeDeadLetters([letter.id])
    await countStats(env, { replayed: 1 }, letter.id, { [source]: { replayed: 1 } })
    replayed++
  }
  return replayed
}

/** An outbound letter as GET /admin/dead-letters lists it. */
export function describeOutbound(letter: OutboundRecord) {
  const { source, thread, destination, item } = letter.outbound
  return {
    source,
    thread,
    eventId: item.id,
    eventType: `outbound:${item.action.type}`,
    deliveryId: null,
    destination,
    payload: item.action,
  }
}
