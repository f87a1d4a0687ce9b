import * as z from '../zod'
import type { ReplayMark } from './intake'
import { MARK_MEMORY_MS, recentDeliveries } from './recent-deliveries'

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
 * Whether the intake's own mark is set (the exact redelivery of the last notification): this
 * isolate's memory of its own last moments first, else one KV read. A mark this isolate moved
 * within `MARK_MEMORY_MS` answers alone: KV may still hold the notification before it (the
 * consumer writes the newer one only when it takes its message), and a byte-identical refire
 * after a resolve is then answered as what it is. (Either way it is queued: inbound/accept.ts.)
 */
export async function isMarkedReplay(kv: KVNamespace, mark: ReplayMark): Promise<boolean> {
  const here = recentDeliveries.valueOf(mark.key, Date.now())
  if (here !== undefined) return here === mark.value
  return (await kv.get(mark.key)) === mark.value
}

/**
 * What the consumer writes to KV for an accepted delivery: `value` under each of `keys` for
 * `ttlSeconds` (KV's minimum, 60 s, when shorter). A `delivery` note's keys are its delivery id
 * and aliases, holding its record (`{ acceptedAt, eventIds }`, JSON); a `mark` note's one key is
 * an alert group's (`ReplayMark`), holding the hash of its latest notification. `acceptedAt` is
 * when the edge accepted it, ms since epoch.
 */
export const ReplayNoteSchema = z.object({
  kind: z.enum(['delivery', 'mark']),
  keys: z.array(z.string().check(z.startsWith('replay:'))).check(z.minLength(1)),
  value: z.string(),
  acceptedAt: z.number(),
  ttlSeconds: z.int().check(z.positive()),
})
export type ReplayNote = z.infer<typeof ReplayNoteSchema>

/**
 * The note for a delivery accepted under `ids` (its delivery id and aliases), or for the
 * intake's own `mark` (alerts), which replaces the ids' keys.
 */
export function replayNote(
  source: string,
  accepted: { ids: string[]; acceptedAt: number; eventIds: string[]; mark?: ReplayMark },
  ttlSeconds: number,
): ReplayNote {
  const { mark, acceptedAt } = accepted
  if (mark) {
    const { key, value, ttlSeconds: markTtl } = mark
    return { kind: 'mark', keys: [key], value, acceptedAt, ttlSeconds: markTtl }
  }
  const record = { acceptedAt, eventIds: accepted.eventIds }
  const keys = accepted.ids.map((id) => replayKey(source, id))
  return { kind: 'delivery', keys, value: JSON.stringify(record), acceptedAt, ttlSeconds }
}

/**
 * Remembers a note just queued in this isolate's memory, at once: a retry answered after this
 * call sees it before the consumer has written it to KV. A delivery's ids for the replay TTL,
 * an alert mark for `MARK_MEMORY_MS` only (see `recentDeliveries`).
 */
export function rememberHere(note: ReplayNote): void {
  const ttlMs = note.ttlSeconds * 1000
  const expiresAt =
    note.acceptedAt + (note.kind === 'mark' ? Math.min(ttlMs, MARK_MEMORY_MS) : ttlMs)
  const value = note.kind === 'mark' ? note.value : '' // a delivery's record is KV's only
  for (const key of note.keys) recentDeliveries.add(key, expiresAt, value)
}

type Written = { acceptedAt: number }

/**
 * Writes a batch's notes, each settled on its own (tried twice, `REPLAY_WRITE_RETRY_MS` apart):
 * undefined, or the error KV threw the second time. Of notes for the same keys only the latest
 * accepted is written, and a mark never replaces one KV holds from a later notification
 * (`acceptedAt` in the key's metadata): consumers run side by side, and a mark moved back would
 * answer a later byte-identical notification (a refire after its resolve) duplicate: queued all
 * the same (inbound/accept.ts), but mislabelled.
 */
export async function writeReplayNotes(kv: KVNamespace, notes: ReplayNote[]) {
  const latest = new Map<string, ReplayNote>()
  for (const note of notes) {
    const keys = note.keys.join('\n')
    const same = latest.get(keys)
    if (!same || same.acceptedAt <= note.acceptedAt) latest.set(keys, note)
  }
  return Promise.all(
    [...latest.values()].map((note) =>
      writeTwice(kv, note).then(
        () => undefined,
        (err: unknown) => err,
      ),
    ),
  )
}

/**
 * KV takes about one write a second per key, and a group's notifications can come closer than
 * that: a refused write is tried once more after this long. A mark left unwritten keeps the
 * notification before it in KV, whose byte-identical refire would be answered duplicate (and
 * queued all the same).
 */
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
  if (note.kind === 'mark') {
    const held = await kv.getWithMetadata<Written>(note.keys[0]!)
    if ((held.metadata?.acceptedAt ?? 0) > note.acceptedAt) return
  }
  // KV refuses an expiration under 60 s.
  const options = {
    expirationTtl: Math.max(60, note.ttlSeconds),
    metadata: { acceptedAt: note.acceptedAt } satisfies Written,
  }
  await Promise.all(note.keys.map((key) => kv.put(key, note.value, options)))
}
