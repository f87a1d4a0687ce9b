import type { SimInstance } from './state'

const WINDOW_MS = 60_000

/**
 * Sliding one-minute window per instance, on the domain clock (so `POST /clock` can move a
 * test past it). Returns null when the call is admitted (and counts it), else the seconds
 * until a slot frees up, for `Retry-After`.
 */
export function admit(sim: SimInstance): number | null {
  const limit = sim.options.maxRequestsPerMinute
  if (limit === null) return null
  const now = sim.now()
  while (sim.admitted.length > 0 && now - sim.admitted[0]! >= WINDOW_MS) sim.admitted.shift()
  if (sim.admitted.length < limit) {
    sim.admitted.push(now)
    return null
  }
  const freesAt = sim.admitted[sim.admitted.length - limit]! + WINDOW_MS
  return Math.max(1, Math.ceil((freesAt - now) / 1000))
}
