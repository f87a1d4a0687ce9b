import { type RunningSimulator, startSimulator } from '../../sim/server'

/**
 * The one simulator of this test run (Node side). Kept on globalThis: vitest bundles the config
 * with its own copy of this module, so a module variable would start a second simulator.
 */
const shared = globalThis as { udeskTestSimulator?: Promise<RunningSimulator> }

/**
 * Starts ONE Udesk simulator in Node for the whole test run on a port the kernel picks (port
 * 0), so another run or `npm start` never makes `npm test` fail. vitest.config.mts calls it to
 * put the simulator's URL into the Worker bindings (UDESK_BASE_URL, SIM_URL); Worker code in
 * the tests reaches it over real HTTP. Hermetic: the development credentials and no rate
 * limit, whatever SIM_* the shell has.
 */
export function startTestSimulator(): Promise<RunningSimulator> {
  shared.udeskTestSimulator ??= startSimulator({
    port: 0,
    host: '127.0.0.1',
    email: 'admin@example.com',
    token: 'dev-udesk-token',
    maxRequestsPerMinute: null,
  })
  return shared.udeskTestSimulator
}

/** vitest's global setup: the simulator is already up (the config started it); stop it at the end. */
export default async function setup(): Promise<() => Promise<void>> {
  const simulator = await startTestSimulator()
  return () => simulator.close()
}
