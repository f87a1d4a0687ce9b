import { SourceConfigSchema, type SourceConfig, type SourceKind } from '../../src/config'
import type { AdapterContext } from '../../src/sources/adapter'

export const RECEIVED_AT = Date.UTC(2024, 4, 14, 9, 30)

/** An adapter context for a source configured as `options` (defaults applied by the schema). */
export function contextFor<K extends SourceKind>(
  kind: K,
  options: Record<string, unknown> = {},
  deliveryId = 'delivery-1',
): AdapterContext<Extract<SourceConfig, { kind: K }>> {
  const config = SourceConfigSchema.parse({ kind, secret: 'SECRET_BINDING', ...options })
  return {
    source: `my-${kind}`,
    config: config as Extract<SourceConfig, { kind: K }>,
    deliveryId,
    receivedAt: RECEIVED_AT,
  }
}
