import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unstable_startWorker } from 'wrangler'
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

/**
 * wrangler.toml without its queue consumers: the acknowledgment matrix measures what a sender
 * waits for, and locally the consumer would run in the same isolate as the requests measured
 * (in production it runs in isolates of its own). Queued messages simply wait.
 */
async function configWithoutConsumers(): Promise<string> {
  const text = await readFile(join(PROJECT_ROOT, 'wrangler.toml'), 'utf8')
  const sections = text.split(/^(?=\[)/m)
  const kept = sections.filter((s) => !s.startsWith('[[queues.consumers]]'))
  const dir = join(PROJECT_ROOT, '.tmp')
  await mkdir(dir, { recursive: true })
  const path = join(dir, 'bench-ack-wrangler.toml')
  await writeFile(path, kept.join('').replace(/^main = "src\//m, 'main = "../src/'))
  return path
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

/** The bridge (consumers off) on a free port against a simulator of its own. */
export async function startAckBridge(
  extra: Record<string, string>,
): Promise<BenchWorker & { sim: Simulator }> {
  const sim = await startTestSimulator()
  const persist = await mkdtemp(join(STORAGE, 'udesk-bridge-bench-'))
  const bindings = { ...bridgeBindings(sim.udeskBaseUrl), ...extra }
  const worker = await start(await configWithoutConsumers(), bindings, persist).catch(
    async (e: unknown) => {
      await sim.close()
      throw e
    },
  )
  return {
    url: worker.url,
    pids: worker.pids,
    sim,
    stop: async () => {
      await worker.dispose()
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
