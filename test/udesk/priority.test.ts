import { describe, it } from 'vitest'
import { priorityFromUdesk, udeskPriorityId, udeskPriorityName } from '../../src/udesk/priority'
import { udeskStatusId } from '../../src/udesk/status'

describe('Udesk priorities', () => {
  it('maps the bridge priorities to Udesk names and ids 1-4', ({ expect }) => {
    const priorities = ['urgent', 'high', 'medium', 'low'] as const

    expect(priorities.map(udeskPriorityName)).toEqual(['紧急', '高', '标准', '低'])
    expect(priorities.map(udeskPriorityId)).toEqual([1, 2, 3, 4])
  })

  it('reads a Udesk name or id back, and nothing else', ({ expect }) => {
    expect(priorityFromUdesk('紧急')).toBe('urgent')
    expect(priorityFromUdesk(4)).toBe('low')
    expect(priorityFromUdesk('normal')).toBeUndefined()
    expect(priorityFromUdesk(null)).toBeUndefined()
  })
})

describe('Udesk statuses', () => {
  it('numbers open, resolved, closed, solving 1-4', ({ expect }) => {
    const statuses = ['open', 'resolved', 'closed', 'solving'] as const

    expect(statuses.map(udeskStatusId)).toEqual([1, 2, 3, 4])
  })
})
