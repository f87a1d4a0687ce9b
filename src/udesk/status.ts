/** Udesk's ticket statuses: `status_id` on create/update, `status_en` in answers. */
export const UDESK_STATUSES = {
  open: { id: 1, name: '开启' },
  resolved: { id: 2, name: '已解决' },
  closed: { id: 3, name: '已关闭' },
  solving: { id: 4, name: '解决中' },
} as const

export type UdeskStatus = keyof typeof UDESK_STATUSES
export type UdeskStatusId = (typeof UDESK_STATUSES)[UdeskStatus]['id']

export function udeskStatusId(status: UdeskStatus): UdeskStatusId {
  return UDESK_STATUSES[status].id
}
