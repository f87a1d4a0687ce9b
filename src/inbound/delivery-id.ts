/** Delivery ids end up in KV keys (512 bytes at most) and logs: bounded and printable. */
export const MAX_DELIVERY_ID_CHARS = 200
export function isUsableDeliveryId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_DELIVERY_ID_CHARS && /^[\x21-\x7e]+$/.test(id)
}
