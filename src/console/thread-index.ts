/**
 * Finds a thread's Durable Object from what an operator has in hand: the sender's delivery id
 * (the `id` of the 202 answer) or the Udesk ticket. KV entries written by the thread's trail,
 * living as long as the trail keeps its steps. KV is eventually consistent: an entry may take
 * up to a minute to show in another location.
 */
export interface ThreadName {
  source: string
  thread: string
}

/** 30 days, as the trail's retention. */
export const THREAD_INDEX_TTL_S = 30 * 24 * 3600

/** Delivery ids are the sender's and may be long: the key holds their digest. */
async function deliveryKey(source: string, deliveryId: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${source}\n${deliveryId}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return `thread-index:delivery:${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

function ticketKey(ticketId: number): string {
  return `thread-index:ticket:${ticketId}`
}

export async function indexDelivery(kv: KVNamespace, name: ThreadName, deliveryId: string) {
  const value = JSON.stringify({ source: name.source, thread: name.thread })
  await kv.put(await deliveryKey(name.source, deliveryId), value, {
    expirationTtl: THREAD_INDEX_TTL_S,
  })
}

export async function indexTicket(kv: KVNamespace, ticketId: number, name: ThreadName) {
  const value = JSON.stringify({ source: name.source, thread: name.thread })
  await kv.put(ticketKey(ticketId), value, { expirationTtl: THREAD_INDEX_TTL_S })
}

export async function threadOfDelivery(kv: KVNamespace, source: string, deliveryId: string) {
  return read(kv, await deliveryKey(source, deliveryId))
}

export async function threadOfTicket(kv: KVNamespace, ticketId: number) {
  return read(kv, ticketKey(ticketId))
}

async function read(kv: KVNamespace, key: string): Promise<ThreadName | undefined> {
  const value = await kv.get<ThreadName>(key, 'json')
  return value ?? undefined
}
