/** Time per call of a function, measured after a warm-up, in microseconds. */
export async function microsecondsPerCall(
  fn: () => unknown,
  options = { warmupMs: 300, measureMs: 1000, maxCalls: 1_000_000 },
): Promise<number> {
  await runFor(fn, options.warmupMs, options.maxCalls)
  const started = performance.now()
  const calls = await runFor(fn, options.measureMs, options.maxCalls)
  return ((performance.now() - started) * 1000) / calls
}

async function runFor(fn: () => unknown, ms: number, maxCalls: number): Promise<number> {
  const deadline = performance.now() + ms
  let calls = 0
  // Batches of 64 keep the clock reads out of the measurement.
  while (performance.now() < deadline && calls < maxCalls) {
    for (let i = 0; i < 64; i++) {
      const result = fn()
      if (result instanceof Promise) await result
    }
    calls += 64
  }
  return calls
}
