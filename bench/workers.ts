import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unstable_startWorker } from 'wrangler'
import { startLocalBridge } from '../scripts/local-bridge'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { workerdChildren } from './process-cpu'
import { bridgeBindings, startTestSimulator, type Simulator } from '../test/e2e/harness'

/**
 * Local KV, queues and Durable Objects live in files; in memory (tmpfs) a shared machine's disk
 * does not decide the figures. Production storage is neither on the worker's thread nor disk.
 */
const STORAGE = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()

export type BenchWorker = {
  url: string
  /** Its workerd processes (wrangler's proxy and the worker's own): their CPU is its cost. */
  pids: Set<number>
  stop: () => Promise<void>
}

async function start(
  config: string,
  bindings: Record<string, string>,
  persist: string,
): Promise<{ url: string; pids: Set<number>; dispose: () => Promise<void> }> {
  const before = workerdChildren()
  const worker = await unstable_startWorker({
    config,
    bindings: Object.fromEntries(
      Object.entries(bindings).map(([name, value]) => [name, { type: 'plain_text', value }]),
    ),
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist,
      watch: false,
      logLevel: 'warn',
    },
  })
  await worker.ready
  const url = (await worker.url).origin
  const pids = await newWorkerdProcesses(before, url)
  return { url, pids, dispose: () => worker.dispose() }
}

/**
 * The bridge, both workers as deployed, without the core's queue consumers: the acknowledgment
 * matrix measures what a sender waits for (the edge), and locally the consumer would run in the
 * same workerd as the requests measured (deployed it runs in isolates of its own). Queued
 * messages simply wait. On a free port against a simulator of its own.
 */
export async function startAckBridge(
  extra: Record<string, string>,
): Promise<BenchWorker & { sim: Simulator }> {
  const sim = await startTestSimulator()
  const persist = await mkdtemp(join(STORAGE, 'udesk-bridge-bench-'))
  const settings = { ...bridgeBindings(sim.udeskBaseUrl), ...extra }
  const before = workerdChildren()
  const bridge = await startLocalBridge(settings, persist, { withoutConsumers: true }).catch(
    async (e: unknown) => {
      await sim.close()
      throw e
    },
  )
  return {
    url: bridge.url,
    pids: await newWorkerdProcesses(before, bridge.url),
    sim,
    stop: async () => {
      await bridge.stop()
      await sim.close()
      await rm(persist, { recursive: true, force: true })
    },
  }
}

/** bench/bare-worker: Hono answering 202, same workerd, same flags. */
export async function startBareWorker(): Promise<BenchWorker> {
  const persist = await mkdtemp(join(STORAGE, 'udesk-bridge-bench-bare-'))
  const worker = await start(join(PROJECT_ROOT, 'bench/bare-worker/wrangler.toml'), {}, persist)
  return {
    url: worker.url,
    pids: worker.pids,
    stop: async () => {
      await worker.dispose()
      await rm(persist, { recursive: true, force: true })
    },
  }
}

/**
 * The workerd processes that started since `before`: wrangler's proxy and, once a request has
 * gone through, the worker's own (a moment after `ready`). Workers are started one at a time.
 */
async function newWorkerdProcesses(before: Set<number>, url: string): Promise<Set<number>> {
  await (await fetch(`${url}/healthz`)).arrayBuffer()
  let pids = new Set<number>()
  for (let waited = 0; waited < 10_000; waited += 100) {
    pids = new Set([...workerdChildren()].filter((pid) => !before.has(pid)))
    if (pids.size >= 2) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return pids
}
