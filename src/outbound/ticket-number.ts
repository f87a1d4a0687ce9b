import type { WatchReads } from './watch-runner'

/**
 * The number agents see for a ticket (Udesk's `field_num`, `#848`), without the `#`, read
 * once for the acknowledgement; the ticket id when it cannot be read now, so the
 * acknowledgement never waits on a Udesk outage.
 */
export async function ticketNumberOf(reads: WatchReads, ticketId: number): Promise<string> {
  try {
    const ticket = await reads.getTicket({ id: ticketId })
    const num = (ticket as { field_num?: unknown }).field_num
    if (typeof num === 'string' && /^#?\w+$/.test(num.trim())) return num.trim().replace(/^#/, '')
  } catch (err) {
    console.error(JSON.stringify({ msg: 'ticket number unread', ticketId, error: String(err) }))
  }
  return String(ticketId)
}
