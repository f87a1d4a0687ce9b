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
  try {
    await worker.ready
    const url = (await worker.url).origin
    const pids = await newWorkerdProcesses(before, url)
    return { url, pids, dispose: () => worker.dispose() }
  } catch (err) {
    await worker.dispose().catch(() => undefined)
    throw err
  }
}

/**
 * The bridge as deployed, started exactly as the bare worker is: `unstable_startWorker`, no
 * inspector, no file watcher. `wrangler dev` on the command line always attaches its inspector,
 * which made the bare worker itself about 20% slower, and the bridge (whose answer awaits KV
 * and the queue) more: run that way against a bare worker run this way, the bridge was judged
 * on the debugger's cost. The figures are the edge's, the worker senders talk to: its KV, queue
 * and rate limiter run in its own workerd. The core runs in a session of its own, found through
 * a shared dev registry, for the one Durable Object the edge calls (the duplicate tally, once a
 * second per isolate, the only work of the edge's measured elsewhere). The registry carries
 * service bindings and Durable Objects between sessions, not queues: queued messages wait in
 * the edge's session, as they should (the figures are what a sender waits for), and the core
 * runs without consumers. Settings are the development ones (scripts/dev-configs.ts), on a
 * simulator of the bridge's own.
 */
export async function startAckBridge(
  extra: Record<string, string>,
): Promise<BenchWorker & { sim: Simulator }> {
  const sim = await startTestSimulator()
  const undo: (() => Promise<unknown>)[] = [() => sim.close()]
  const stop = () => inTurn(undo.toReversed())
  try {
    const persist = await mkdtemp(join(STORAGE, 'udesk-bridge-bench-'))
    undo.push(() => rm(persist, { recursive: true, force: true }))
    const configDir = await mkdtemp(join(tmpdir(), 'udesk-bridge-config-'))
    undo.push(() => rm(configDir, { recursive: true, force: true }))
    const settings = { ...bridgeBindings(sim.udeskBaseUrl), ...extra }
    const { configs, secrets } = await writeDevConfigs(configDir, {
      settings,
      withoutConsumers: true,
    })
    await Promise.all(configs.map(withoutRequiredSecrets))
    const registry = join(configDir, 'registry')
    const core = await start(configs[1], secrets, join(persist, 'core'), registry)
    undo.push(() => core.dispose())
    const edge = await start(configs[0], secrets, join(persist, 'edge'), registry)
    undo.push(() => edge.dispose())
    return { url: edge.url, pids: edge.pids, sim, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}

/**
 * The secrets go in as bindings. Left in a config, `[secrets] required` has wrangler look for
 * them in this process's environment as well, and warn that they are missing.
 */
async function withoutRequiredSecrets(path: string): Promise<void> {
  const { secrets: _required, ...config } = JSON.parse(await readFile(path, 'utf8')) as {
    secrets?: unknown
  }
  await writeFile(path, JSON.stringify(config))
}

/** bench/bare-worker: Hono answering 202, same workerd, same flags. */
export async function startBareWorker(): Promise<BenchWorker> {
  const persist = await mkdtemp(join(STORAGE, 'udesk-bridge-bench-bare-'))
  const removeStorage = () => rm(persist, { recursive: true, force: true })
  const config = join(PROJECT_ROOT, 'bench/bare-worker/wrangler.toml')
  const worker = await start(config, {}, persist).catch(async (err: unknown) => {
    await removeStorage()
    throw err
  })
  return {
    url: worker.url,
    pids: worker.pids,
    stop: () => inTurn([() => worker.dispose(), removeStorage]),
  }
}

/** Runs every step in turn, even after one fails; then throws the first failure, if any. */
async function inTurn(steps: (() => Promise<unknown>)[]): Promise<void> {
  let failure: { error: unknown } | undefined
  for (const step of steps) {
    await step().catch((error: unknown) => (failure ??= { error }))
  }
  if (failure) throw failure.error
}

/**
 * The workerd processes that started since `before`: wrangler's proxy and, once a request has
 * gone through, the worker's own (a moment after `ready`). Workers are started one at a time.
 */
async function newWorkerdProcesses(before: Set<number>, url: string): Promise<Set<number>> {
  const health = await fetch(`${url}/healthz`)
  await health.arrayBuffer()
  if (!health.ok) throw new Error(`${url}/healthz answered ${health.status}`)
  let pids = new Set<number>()
  for (let waited = 0; waited < 10_000; waited += 100) {
    pids = new Set([...workerdChildren()].filter((pid) => !before.has(pid)))
    if (pids.size >= 2) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return pids
}
