import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unstable_startWorker } from 'wrangler'
import { writeDevConfigs } from '../scripts/dev-configs'
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
  registry?: string,
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
      ...(registry && { registry }),
    },
  })
  await worker.ready
  const url = (await worker.url).origin
  const pids = await newWorkerdProcesses(before, url)
  return { url, pids, dispose: () => worker.dispose() }
}

/**
 * The bridge as deployed, started exactly as the bare worker is: `unstable_startWorker`, no
 * inspector, no file watcher. `wrangler dev` on the command line always attaches its inspector,
 * which made the bare worker itself about 20% slower, and the bridge (whose answer awaits KV
 * and the queue) more: run that way against a bare worker run this way, the bridge was judged
 * on the debugger's cost. The figures are the edge's, the worker senders talk to. The core runs
 * in a session of its own, found through a shared dev registry, for the one Durable Object the
 * edge calls (the duplicate tally, once a second), and without its queue consumers: locally
 * they would share the CPU with the requests measured (deployed they run in isolates of their
 * own), and queued messages simply wait. Settings are the development ones
 * (scripts/dev-configs.ts), on a simulator of the bridge's own.
 */
export async function startAckBridge(
  extra: Record<string, string>,
): Promise<BenchWorker & { sim: Simulator }> {
  const sim = await startTestSimulator()
  const persist = await mkdtemp(join(STORAGE, 'udesk-bridge-bench-'))
  const configDir = await mkdtemp(join(tmpdir(), 'udesk-bridge-config-'))
  const cleanUp = async () => {
    await sim.close()
    await rm(persist, { recursive: true, force: true })
    await rm(configDir, { recursive: true, force: true })
  }
  try {
    const settings = { ...bridgeBindings(sim.udeskBaseUrl), ...extra }
    const { configs, secrets } = await writeDevConfigs(configDir, {
      settings,
      withoutConsumers: true,
    })
    // The secrets go in as bindings, so the files' `[secrets] required` would only warn.
    await Promise.all(configs.map(withoutRequiredSecrets))
    // Two sessions, one registry: the edge's Durable Object binding finds the core's class.
    const registry = join(configDir, 'registry')
    const core = await start(configs[1], secrets, join(persist, 'core'), registry)
    const edge = await start(configs[0], secrets, join(persist, 'edge'), registry).catch(
      async (err: unknown) => {
        await core.dispose()
        throw err
      },
    )
    return {
      url: edge.url,
      pids: edge.pids,
      sim,
      stop: async () => {
        await edge.dispose()
        await core.dispose()
        await cleanUp()
      },
    }
  } catch (err) {
    await cleanUp()
    throw err
  }
}

async function withoutRequiredSecrets(path: string): Promise<void> {
  const { secrets: _required, ...config } = JSON.parse(await readFile(path, 'utf8')) as {
    secrets?: unknown
  }
  await writeFile(path, JSON.stringify(config))
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
