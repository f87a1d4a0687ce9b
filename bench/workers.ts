import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unstable_startWorker } from 'wrangler'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { bridgeBindings, startTestSimulator, type Simulator } from '../test/e2e/harness'

export type BenchWorker = { url: string; stop: () => Promise<void> }

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
): Promise<{ url: string; dispose: () => Promise<void> }> {
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
  return { url: (await worker.url).origin, dispose: () => worker.dispose() }
}

/** The bridge (consumers off) on a free port against a simulator of its own. */
export async function startAckBridge(
  extra: Record<string, string>,
): Promise<BenchWorker & { sim: Simulator }> {
  const sim = await startTestSimulator()
  const persist = await mkdtemp(join(tmpdir(), 'udesk-bridge-bench-'))
  const bindings = { ...bridgeBindings(sim.udeskBaseUrl), ...extra }
  const worker = await start(await configWithoutConsumers(), bindings, persist).catch(
    async (e: unknown) => {
      await sim.close()
      throw e
    },
  )
  return {
    url: worker.url,
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
  const persist = await mkdtemp(join(tmpdir(), 'udesk-bridge-bench-bare-'))
  const worker = await start(join(PROJECT_ROOT, 'bench/bare-worker/wrangler.toml'), {}, persist)
  return {
    url: worker.url,
    stop: async () => {
      await worker.dispose()
      await rm(persist, { recursive: true, force: true })
    },
  }
}
