import { startSimulator } from '../../sim/server'

/** Must equal SIM_TEST_PORT in vitest.config.mts (the bindings UDESK_BASE_URL and SIM_URL). */
const SIM_TEST_PORT = 18788

/**
 * Starts ONE Udesk simulator in Node for the whole test run; Worker code in the tests reaches
 * it over real HTTP at env.SIM_URL. Hermetic: the development credentials, no rate limit,
 * whatever SIM_* variables the shell has.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const simulator = await startSimulator({
    port: SIM_TEST_PORT,
    host: '127.0.0.1',
    email: 'admin@example.com',
    token: 'dev-udesk-token',
    maxRequestsPerMinute: null,
  }).catch((error: unknown) => {
    const code = (error as { code?: string }).code
    if (code === 'EADDRINUSE') {
      throw new Error(
        `Port ${SIM_TEST_PORT} is taken, so the test simulator cannot start. ` +
          `Stop whatever listens there (another test run or \`npm run sim\` with SIM_PORT=${SIM_TEST_PORT}).`,
      )
    }
    throw error
  })
  return () => simulator.close()
}
