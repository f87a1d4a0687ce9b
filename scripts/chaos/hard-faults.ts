/**
 * The fault test's harder incidents, beyond faults on a share of calls: a create that commits
 * and loses its answer followed at once by Udesk failing every call (look-ups too) for a window
 * of minutes. (The run can also restart the bridge mid-drain, but the local runtime keeps queue
 * messages in memory, so a restart loses what was queued: not a fault of the bridge's.)
 */

type Control = <T>(path: string, init?: RequestInit) => Promise<T>

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One thread's create commits in Udesk and its answer never arrives. */
export function lostCreateRule(subject: string, holdMs: number) {
  return {
    method: 'POST',
    path: '/tickets',
    match: subject,
    times: 1,
    fault: { kind: 'commit_then_timeout', ms: holdMs },
  }
}

/**
 * Waits until the lost-create rule `ruleId` was used (the create has committed), then fails
 * every Udesk call with 503 for `outageMs`, then restores `rules`. False when the lost create
 * never happened within `waitMs`.
 */
export async function outageAfterLostCreate(
  control: Control,
  ruleId: string,
  options: { outageMs: number; waitMs: number; rules: unknown[]; log: (line: string) => void },
): Promise<boolean> {
  const deadline = Date.now() + options.waitMs
  // A rule leaves the list once its one use is spent: then the create has committed.
  const pending = async () =>
    (await control<{ faults: { id: string }[] }>('/faults')).faults.some((f) => f.id === ruleId)
  while (await pending()) {
    if (Date.now() > deadline) return false
    await sleep(250)
  }
  await control('/faults', { method: 'DELETE' })
  await control('/faults', json({ probability: 1, fault: { kind: 'http', status: 503 } }))
  options.log(`outage: every Udesk call fails for ${options.outageMs / 1000} s`)
  await sleep(options.outageMs)
  await control('/faults', { method: 'DELETE' })
  for (const rule of options.rules) await control('/faults', json(rule))
  options.log('outage over')
  return true
}
