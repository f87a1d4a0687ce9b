import {
  createUdeskClient,
  type UdeskClient,
  type UdeskClientOptions,
} from '../../src/udesk/client'
import {
  DEV_UDESK,
  addFault as addSimFault,
  createSimInstance,
  simCalls as simCallsAt,
  simControl,
  simState as simStateAt,
  type SimCall,
  type SimFaultRule,
  type SimInstanceInfo,
  type SimTicket,
} from '../helpers/sim'

export { advanceClock } from '../helpers/sim'

/** Client tests each take a simulated Udesk account of their own (one per test file). */
export type FreshSim = SimInstanceInfo

export const SIM_CREDENTIALS = DEV_UDESK

export function freshSim(options: { maxRequestsPerMinute?: number } = {}): Promise<FreshSim> {
  return createSimInstance(options)
}

export function clientFor(sim: FreshSim, options: Partial<UdeskClientOptions> = {}) {
  return createUdeskClient({ baseUrl: sim.baseUrl, credentials: SIM_CREDENTIALS, ...options })
}

/** A new customer known by a unique email, as tickets are opened or updated for one. */
export async function customerWithEmail(udesk: UdeskClient) {
  const email = `${unique('ada')}@example.com`
  const { id } = await udesk.createCustomer({ email, nickName: 'Ada Lovelace' })
  return { id, email }
}

export const simState = (sim: FreshSim) => simStateAt(sim.controlUrl)

export async function simTicket(sim: FreshSim, id: number): Promise<SimTicket | undefined> {
  return (await simState(sim)).tickets.find((t) => t.id === id)
}

export const simCalls = (sim: FreshSim, since = 0): Promise<SimCall[]> =>
  simCallsAt(sim.controlUrl, since)

/** The `seq` of the last call the instance received, to read only the calls after it. */
export async function lastCallSeq(sim: FreshSim): Promise<number> {
  return (await simCalls(sim)).at(-1)?.seq ?? 0
}

export const addFault = (sim: FreshSim, rule: SimFaultRule) => addSimFault(sim.controlUrl, rule)

export const configureSim = (
  sim: FreshSim,
  config: { maxRequestsPerMinute?: number | null; exportBatchSize?: number },
) => simControl(sim.controlUrl, '/config', { method: 'PUT', json: config })

/** Fails the test unless the promise rejects; answers what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

/** A per-test suffix so emails, subjects and tokens never collide within a file. */
export function unique(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`
}
