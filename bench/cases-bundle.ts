import { bundleWorker, runInWorkerd, type WorkerBundle } from './worker-bundle'

type Row = [name: string, baseline: string, result: string, ratio: string]

/** Cloudflare's goal for this worker (issue 13): the deploy bundle under 64 KiB gzipped. */
export const BUNDLE_GOAL_GZIP_BYTES = 64 * 1024
/** Evaluations per bundle, timed together (workerd's clock ticks in whole ms). */
const COPIES = 20

/**
 * The bridge's deploy bundle against a bare Hono worker's, bundled the same way: gzip size,
 * and start-up as the time workerd takes to evaluate the bundle's module (parse, compile and
 * run its top level: zod building every schema, Hono its routes) in a fresh module each time.
 */
export async function bundleRows(): Promise<Row[]> {
  const [bridge, bare] = await Promise.all([bundleWorker(), bundleWorker('bench/workers/bare.ts')])
  const startup = await evaluationMs({ bridge, bare })
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  return [
    [
      'deploy bundle, gzip (goal: under 64 KiB)',
      `bare Hono worker: ${kib(bare.gzipBytes)}`,
      `${kib(bridge.gzipBytes)} (${kib(bridge.bytes)} minified)`,
      `${(bridge.gzipBytes / bare.gzipBytes).toFixed(1)}x`,
    ],
    [
      'start-up: evaluating the bundle in workerd',
      `bare Hono worker: ${startup.bare.toFixed(2)} ms`,
      `${startup.bridge.toFixed(2)} ms`,
      `${(startup.bridge / startup.bare).toFixed(1)}x`,
    ],
  ]
}

/**
 * Mean ms to import each bundle, measured inside workerd over COPIES copies: every copy differs
 * by a trailing comment, so no copy reuses another's compiled code.
 */
async function evaluationMs(bundles: Record<'bridge' | 'bare', WorkerBundle>) {
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
    return { bare: await mean('bare'), bridge: await mean('bridge') }
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
