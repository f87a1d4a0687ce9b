import type { DeliveryLedger } from './ledger'

/**
 * Stubs of the DeliveryLedger Durable Object (src/delivery/ledger.ts), apart from the class so
 * the edge worker (src/edge.ts), which binds the core worker's class by `script_name`, can
 * count a duplicate without bundling the class.
 */
export function ledger(env: Env): DurableObjectStub<DeliveryLedger> {
  return ledgerNamed(env, 'global')
}

/** One instance of the ledger by name: "global", or a stats shard `stats-N` (see stats.ts). */
export function ledgerNamed(env: Env, name: string): DurableObjectStub<DeliveryLedger> {
  const ns = env.LEDGER as unknown as DurableObjectNamespace<DeliveryLedger>
  return ns.get(ns.idFromName(name))
}
