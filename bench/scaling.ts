import { ackMatrix, type AckLoad } from './ack'
import { ackCases } from './ack-requests'
import type { Figure } from './report'
import { measureUdeskCalls, THREADS_AT_1X, type Phase } from './udesk-calls'

/**
 * Udesk calls per event for each phase of the mix at each scale (threads x `scale`): one
 * figure per phase, its curve over the scales. Flat means the 1x figure holds at every scale.
 */
export async function udeskCallsCurve(scales: number[]): Promise<Figure[]> {
  const runs: { scale: number; phases: Phase[] }[] = []
  for (const scale of scales) runs.push({ scale, phases: await measureUdeskCalls(scale) })
  return runs[0]!.phases.map((first, i) => {
    const points = runs.map(({ scale, phases }) => ({ scale, phase: phases[i]! }))
    const perEvent = points.map(({ phase }) => phase.calls / phase.events)
    const worst = Math.max(...perEvent)
    const curve = points.map(({ scale }, j) => `${scale}x: ${perEvent[j]!.toFixed(2)}`).join(', ')
    const reads = points.map(({ phase }) => (phase.twoWayReads / phase.events).toFixed(2))
    return {
      name: first.name,
      baseline: `target: at most ${first.target} per event`,
      result: `${curve} (${points.map((p) => p.phase.events).join('/')} events; two-way reads besides ${reads.join('/')})`,
      ratio: `${(worst / first.target).toFixed(2)}x`,
      met: worst <= first.target,
      data: Object.fromEntries([
        ['targetCallsPerEvent', first.target],
        ['threadsAt1x', THREADS_AT_1X],
        ...points.flatMap(({ scale, phase }) => [
          [`events${scale}x`, phase.events],
          [`calls${scale}x`, phase.calls],
          [`callsPerEvent${scale}x`, phase.calls / phase.events],
          [`twoWayReads${scale}x`, phase.twoWayReads],
          [`byCall${scale}x`, JSON.stringify(phase.byCall)],
        ]),
      ]),
    }
  })
}

/** The acknowledgment matrix for a few cases at 1x, 3x, 10x the connections of `load`. */
export async function ackCurve(load: AckLoad, scales: number[]): Promise<Figure[]> {
  const cases = ackCases(['Standard Webhooks, signed', 'urlencoded', 'duplicate'])
  const figures: Figure[] = []
  for (const scale of scales) {
    const scaled = { ...load, connections: load.connections * scale }
    for (const f of await ackMatrix(scaled, cases))
      figures.push({ ...f, name: `${scale}x: ${f.name}` })
  }
  return figures
}
