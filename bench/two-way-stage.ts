import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBridgeWorker, startTestSimulator, type Simulator } from '../test/e2e/harness'

/**
 * One simulator and one local storage directory kept across several runs of the worker, so a
 * bench can seed two-way threads under one configuration (no rate limit, short watch timings)
 * and measure them under another (Udesk's budget, the production timings): the second worker
 * finds the first one's Durable Objects, their storage and their alarms, and KV as they were.
 */
export type Stage = {
  sim: Simulator
  /** Starts the worker on a free port with these bindings over the default development ones. */
  start: (bindings: Record<string, string>) => Promise<StagedBridge>
  /** Closes the simulator and removes the storage directory (stop the bridge first). */
  close: () => Promise<void>
}

export type StagedBridge = { url: string; stop: () => Promise<void> }

export async function openStage(): Promise<Stage> {
  const sim = await startTestSimulator()
  const persist = await mkdtemp(join(tmpdir(), 'udesk-bridge-bench-'))
  return {
    sim,
    start: (bindings) => startWorker(sim, persist, bindings),
    close: async () => {
      await sim.close()
      await rm(persist, { recursive: true, force: true })
    },
  }
}

async function startWorker(
  sim: Simulator,
  persist: string,
  extra: Record<string, string>,
): Promise<StagedBridge> {
  return await startBridgeWorker(sim, persist, extra)
}
