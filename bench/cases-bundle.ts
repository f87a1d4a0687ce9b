import { bundleWorker, runInWorkerd, type WorkerBundle } from './worker-bundle'

type Row = [name: string, baseline: string, result: string, ratio: string]

/**
 * Issue 13's goal for the worker senders talk to: its deploy bundle under 64 KiB gzipped. That
 * is the edge (src/edge.ts); the core (queues, Durable Objects, console) is on no sender's
 * acknowledgment path, so its size is reported without a goal.
 */
export const BUNDLE_GOAL_GZIP_BYTES = 64 * 1024
/** Evaluations per bundle, timed together (workerd's clock ticks in whole ms). */
const COPIES = 20

type Bundles = Record<'edge' | 'core' | 'bare', WorkerBundle>

/**
 * Each of the bridge's two deploy bundles against a bare Hono worker's, bundled the same way:
 * gzip size, and start-up as the time workerd takes to evaluate the bundle's module (parse,
 * compile and run its top level: zod building every schema, Hono its routes) in a fresh module
 * each time.
 */
export async function bundleRows(): Promise<Row[]> {
  const [edge, core, bare] = await Promise.all([
    bundleWorker('edge'),
    bundleWorker('core'),
    bundleWorker({ entry: 'bench/workers/bare.ts' }),
  ])
  const bundles: Bundles = { edge, core, bare }
  const startup = await evaluationMs(bundles)
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  const size = (name: 'edge' | 'core'): Row => [
    name === 'edge'
      ? 'edge worker (senders), deploy bundle gzip (goal: under 64 KiB)'
      : 'core worker (queues, Durable Objects, console), deploy bundle gzip',
    `bare Hono worker: ${kib(bare.gzipBytes)}`,
    `${kib(bundles[name].gzipBytes)} (${kib(bundles[name].bytes)} minified)`,
    `${(bundles[name].gzipBytes / bare.gzipBytes).toFixed(1)}x`,
  ]
  const start = (name: 'edge' | 'core'): Row => [
    `${name} worker start-up: evaluating its bundle in workerd`,
    `bare Hono worker: ${startup.bare.toFixed(2)} ms`,
    `${startup[name].toFixed(2)} ms`,
    `${(startup[name] / startup.bare).toFixed(1)}x`,
  ]
  return [size('edge'), size('core'), start('edge'), start('core')]
}

/**
 * Mean ms to import each bundle, measured inside workerd over COPIES copies: every copy differs
 * by a trailing comment, so no copy reuses another's compiled code.
 */
async function evaluationMs(bundles: Bundles) {
  const modules = [{ path: 'probe.js', contents: PROBE }]
  for (const [name, bundle] of Object.entries(bundles)) {
    for (let i = 0; i < COPIES; i++) {
      modules.push({ path: `${name}-${i}.js`, contents: `${bundle.code}\n// copy ${i}\n` })
    }
  }
  const mf = await runInWorkerd(modules)
  try {
    const mean = async (name: string) => {
      const response = await mf.dispatchFetch(`http://bench/?name=${name}&copies=${COPIES}`)
      return ((await response.json()) as number) / COPIES
    }
    return { bare: await mean('bare'), edge: await mean('edge'), core: await mean('core') }
  } finally {
    await mf.dispose()
  }
}

const PROBE = `
export default {
  async fetch(request) {
    const url = new URL(request.url)
    const name = url.searchParams.get('name')
    const started = performance.now()
    for (let i = 0; i < Number(url.searchParams.get('copies')); i++) {
      await import('./' + name + '-' + i + '.js')
    }
    return Response.json(performance.now() - started)
  },
}
`
