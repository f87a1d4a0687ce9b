import type { Priority } from '../ticket-event'

/** Udesk's priorities: `priority` on create takes the Chinese name, `priority_id` on update. */
export const UDESK_PRIORITIES = {
  urgent: { id: 1, name: '紧急' },
  high: { id: 2, name: '高' },
  medium: { id: 3, name: '标准' },
  low: { id: 4, name: '低' },
} as const satisfies Record<Priority, { id: number; name: string }>

export type UdeskPriorityId = (typeof UDESK_PRIORITIES)[Priority]['id']
export type UdeskPriorityName = (typeof UDESK_PRIORITIES)[Priority]['name']

export function udeskPriorityName(priority: Priority): UdeskPriorityName {
  return UDESK_PRIORITIES[priority].name
}

export function udeskPriorityId(priority: Priority): UdeskPriorityId {
  return UDESK_PRIORITIES[priority].id
}

/** The bridge's priority for a Udesk priority name or id; undefined for anything else. */
export function priorityFromUdesk(value: string | number | null | undefined): Priority | undefined {
  for (const [priority, udesk] of Object.entries(UDESK_PRIORITIES)) {
    if (udesk.name === value || udesk.id === value) return priority as Priority
  }
  return undefined
}
