import * as z from '../zod'
import type { ReplayMark } from './intake'
import { recentDeliveries, recentMarks } from './recent-deliveries'

/**
 * The first, cheap replay filter: delivery ids seen per source, in this isolate's memory
 * (`recentDeliveries`) and in KV with a TTL covering the senders' retry horizons. KV is
 * eventually consistent, so the thread's Durable Object (which remembers applied event ids)
 * stays the last word.
 *
 * The edge only reads KV. What it accepted is written to KV by the queue consumer, from the
 * `ReplayNote` the delivery's first message carries (`writeReplayNotes`): the acknowledgment
 * path's one write is the queue send, and the key is never written before the queue holds the
 * events (a failed send leaves the sender free to retry).
 *
 * An alert notification has no id of its own, so an alert group's mark (the hash of its latest
 * notification, `ReplayMark`) lives in this isolate's memory only: its repeats are queued
 * anyway, and their thread decides.
 */
export function replayKey(source: string, deliveryId: string): string {
  return `replay:${source}:${deliveryId}`
}

/** Whether `deliveryId` was accepted before: this isolate's memory first, else one KV read. */
export async function isReplay(kv: KVNamespace, source: string, deliveryId: string) {
  const key = replayKey(source, deliveryId)
  if (recentDeliveries.has(key, Date.now())) return true
  return (await kv.get(key)) !== null
}

/**
 * Whether a delivery was accepted before under any of `deliveryIds` (its id, and a Slack
 * message's `client_msg_id`): this isolate's memory first, else one KV request for all of them
 * (KV's bulk `get`, up to 100 keys a request; a delivery has at most two).
 */
export async function isReplayOfAny(kv: KVNamespace, source: string, deliveryIds: string[]) {
  const keys = deliveryIds.map((id) => replayKey(source, id))
  const now = Date.now()
  if (keys.some((key) => recentDeliveries.has(key, now))) return true
  const [only, ...others] = keys
  if (only === undefined) return false
  if (others.length === 0) return (await kv.get(only)) !== null
  const found = await kv.get(keys)
  return [...found.values()].some((value) => value !== null)
}

/**
 * Whether this isolate queued the group's latest notification itself and `mark` is its exact
 * repeat (`ReplayMark`): memory only, never KV. A repeat is queued all the same (inbound/
 * accept.ts), so the answer is only a label, and no KV read is worth buying for it.
 */
export function isRepeatHere(mark: ReplayMark): boolean {
  return recentMarks.valueOf(mark.key, Date.now()) === mark.value
}

/** Remembers the group's latest notification in this isolate, for the mark's `ttlSeconds`. */
export function rememberMark(mark: ReplayMark, acceptedAt: number): void {
  recentMarks.add(mark.key, acceptedAt + mark.ttlSeconds * 1000, mark.value)
}

/**
 * What the consumer writes to KV for an accepted delivery: its record (`{ acceptedAt,
 * eventIds }`, JSON) under each of `keys` (its delivery id and aliases) for `ttlSeconds` (KV's
 * minimum, 60 s, when shorter). `acceptedAt` is when the edge accepted it, ms since epoch.
 * `kind` is always `delivery`: an earlier version also queued alert marks (`kind: 'mark'`),
 * which no longer parse and are never written, and a consumer of that version still reads
 * these notes.
 */
export const ReplayNoteSchema = z.object({
  kind: z.literal('delivery'),
  keys: z.array(z.string().check(z.startsWith('replay:'))).check(z.minLength(1)),
  value: z.string(),
  acceptedAt: z.number(),
  ttlSeconds: z.int().check(z.positive()),
})
export type ReplayNote = z.infer<typeof ReplayNoteSchema>

/** The note for a delivery accepted under `ids` (its delivery id and aliases). */
export function replayNote(
  source: string,
  accepted: { ids: string[]; acceptedAt: number; eventIds: string[] },
  ttlSeconds: number,
): ReplayNote {
  const { acceptedAt } = accepted
  const record = { acceptedAt, eventIds: accepted.eventIds }
  const keys = accepted.ids.map((id) => replayKey(source, id))
  return { kind: 'delivery', keys, value: JSON.stringify(record), acceptedAt, ttlSeconds }
}

/**
 * Remembers a note just queued in this isolate's memory, at once, for the replay TTL: a retry
 * answered after this call sees it before the consumer has written it to KV.
 */
export function rememberHere(note: ReplayNote): void {
  const expiresAt = note.acceptedAt + note.ttlSeconds * 1000
  for (const key of note.keys) recentDeliveries.add(key, expiresAt)
}

/**
 * Writes a batch's notes, each settled on its own (tried twice, `REPLAY_WRITE_RETRY_MS` apart):
 * undefined, or the error KV threw the second time. A delivery queued twice (a redelivery to
 * another isolate before the first note was written) is written once.
 */
export async function writeReplayNotes(kv: KVNamespace, notes: ReplayNote[]) {
  const once = new Map(notes.map((note) => [note.keys.join('\n'), note]))
  return Promise.all(
    [...once.values()].map((note) =>
      writeTwice(kv, note).then(
        () => undefined,
        (err: unknown) => err,
      ),
    ),
  )
}

/** KV takes about one write a second per key: a refused write is tried once more after this. */
export const REPLAY_WRITE_RETRY_MS = 1_100

async function writeTwice(kv: KVNamespace, note: ReplayNote): Promise<void> {
  try {
    await writeReplayNote(kv, note)
  } catch {
    await new Promise((resolve) => setTimeout(resolve, REPLAY_WRITE_RETRY_MS))
    await writeReplayNote(kv, note)
  }
}

async function writeReplayNote(kv: KVNamespace, note: ReplayNote): Promise<void> {
  // KV refuses an expiration under 60 s.
  const options = { expirationTtl: Math.max(60, note.ttlSeconds) }
  await Promise.all(note.keys.map((key) => kv.put(key, note.value, options)))
}
