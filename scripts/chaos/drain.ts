import type { SimTicket, Verdict } from './verify'

/** The delivery's WAIT_CAP_MS (src/delivery/retry-policy.ts): the longest a waiting message stays away. */
const WAIT_CAP_MS = 5 * 60_000

/**
 * Polls the simulator until everything sent is there and no Udesk call came for a while (a
 * late duplicate would show up then), or until nothing moves any more, or the timeout;
 * `check` compares the simulator's tickets with what was sent.
 */
export async function waitForDrain(
  check: (tickets: SimTicket[]) => Verdict,
  control: <T>(path: string) => Promise<T>,
  timeoutSeconds: number,
  log: (line: string) => void,
): Promise<Verdict> {
  const deadline = Date.now() + timeoutSeconds * 1000
  let lastSeq = -1
  let quietSince = Date.now()
  for (;;) {
    const state = await control<{ tickets: SimTicket[] }>('/state')
    const verdict = check(state.tickets)
    const { calls } = await control<{ calls: { seq: number }[] }>(
      `/calls?since=${Math.max(0, lastSeq)}`,
    )
    const seq = calls.at(-1)?.seq ?? lastSeq
    if (seq !== lastSeq) quietSince = Date.now()
    lastSeq = seq
    const quietMs = Date.now() - quietSince
    log(`lost=${verdict.lost} duplicated=${verdict.duplicated} calls=${seq} quiet=${quietMs}ms`)
    if (verdict.lost === 0 && quietMs >= 5_000) return verdict
    // A message that only waits (rate limit, a thread's backoff) may stay away up to
    // WAIT_CAP_MS (5 min): silence shorter than that is no proof that nothing will move.
    if (quietMs >= WAIT_CAP_MS + 30_000 || Date.now() > deadline) return verdict
    await new Promise((r) => setTimeout(r, 2_000))
  }
}
