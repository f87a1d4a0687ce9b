/**
 * A bench-only worker (never deployed): runs the bridge's intake for one source kind (verify +
 * parse + schema + adapter, exactly as `POST /webhooks/:source` calls it) many times inside
 * workerd, so the CPU per request is the worker runtime's own: WebCrypto's HMAC and
 * `crypto.subtle.timingSafeEqual` are workerd's, not Node's.
 *
 * `POST /` with a `CpuJob` answers a `CpuTiming`. Each timed window runs for many calls, long
 * enough for workerd's clock (whole milliseconds) not to matter.
 */
import { loadConfig } from '../../src/config'
import { runIntake } from '../../src/inbound/run-intake'
import type { CpuJob, CpuTiming } from '../cpu-job'

/** Intakes read the replay filter only for resubmissions and Slack thread replies: none here. */
const noReplays = { get: async () => null } as unknown as KVNamespace

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const job = (await request.json()) as CpuJob
    const config = loadConfig(env)
    const source = config.SOURCES[job.source]
    if (!source) return new Response('no such source', { status: 404 })
    const body = Uint8Array.from(atob(job.body), (ch) => ch.charCodeAt(0))
    const headers = new Headers(job.headers)
    const once = () =>
      runIntake({
        name: job.source,
        source,
        secrets: config.secrets[job.source] ?? [],
        config,
        headers,
        body,
        contentType: headers.get('content-type'),
        receivedAt: Date.now(),
        kv: noReplays,
      })
    const outcome = (await once()).kind
    const jsonParseUs = await microsecondsPerCall(() => JSON.parse(job.baselineJson), job, 1)
    const intakeUs = await microsecondsPerCall(once, job, job.concurrency)
    return Response.json({ jsonParseUs, intakeUs, outcome } satisfies CpuTiming)
  },
}

/**
 * µs per call: the fastest of WINDOWS windows of `measureMs / WINDOWS` each (after one to warm
 * up), with `concurrency` chains of calls at once. The fastest window is the one the other
 * processes of a shared machine disturbed least.
 */
async function microsecondsPerCall(fn: () => unknown, job: CpuJob, concurrency: number) {
  const windowMs = job.measureMs / WINDOWS
  let best = Infinity
  for (let w = 0; w <= WINDOWS; w++) {
    const started = performance.now()
    const calls = await runFor(fn, windowMs, concurrency)
    const us = ((performance.now() - started) * 1000) / calls
    if (w > 0) best = Math.min(best, us)
  }
  return best
}

const WINDOWS = 5

async function runFor(fn: () => unknown, ms: number, concurrency: number): Promise<number> {
  const deadline = performance.now() + ms
  let calls = 0
  const chain = async () => {
    while (performance.now() < deadline) {
      for (let i = 0; i < 16; i++) {
        const result = fn()
        if (result instanceof Promise) await result
      }
      calls += 16
    }
  }
  await Promise.all(Array.from({ length: concurrency }, chain))
  return calls
}
