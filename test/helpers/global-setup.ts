import { setTimeout as delay } from 'node:timers/promises'
import { type RunningSimulator, startSimulator } from '../../sim/server'

/** Must equal SIM_TEST_PORT in vitest.config.mts (the bindings UDESK_BASE_URL and SIM_URL). */
const SIM_TEST_PORT = 18788
/** Another test run holding the port usually ends soon: wait for it this long, then give up. */
const PORT_WAIT_MS = Number(process.env.SIM_TEST_PORT_WAIT_MS ?? 90_000)

function start(): Promise<RunningSimulator> {
  // Hermetic: the development credentials and no rate limit, whatever SIM_* the shell has.
  return startSimulator({
    port: SIM_TEST_PORT,
    host: '127.0.0.1',
    email: 'admin@example.com',
    token: 'dev-udesk-token',
    maxRequestsPerMinute: null,
  })
}

const portTaken = (error: unknown) => (error as { code?: string }).code === 'EADDRINUSE'

/**
 * Starts ONE Udesk simulator in Node for the whole test run; Worker code in the tests reaches
 * it over real HTTP at env.SIM_URL. Fails with a clear message when the port stays taken.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const deadline = Date.now() + PORT_WAIT_MS
  for (let warned = false; ; warned = true) {
    try {
      const simulator = await start()
      return () => simulator.close()
    } catch (error) {
      if (!portTaken(error)) throw error
      if (Date.now() >= deadline) {
        throw new Error(
          `Port ${SIM_TEST_PORT} is taken, so the test simulator cannot start. Stop whatever ` +
            `listens there (another test run, or \`npm run sim\` with SIM_PORT=${SIM_TEST_PORT}).`,
        )
      }
      if (!warned) console.warn(`Port ${SIM_TEST_PORT} is taken; waiting for it to be free...`)
      await delay(1000)
    }
  }
}
