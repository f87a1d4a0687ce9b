import { describe, it } from 'vitest'
import { readDoorbellTicketId } from '../../src/inbound/doorbell-body'

const none = new URLSearchParams()
const JSON_TYPE = 'application/json'

describe('the ticket id of a Udesk trigger body', () => {
  it('reads the body the README suggests, and its variants', ({ expect }) => {
    expect(readDoorbellTicketId('{"ticket_id": 123}', JSON_TYPE, none)).toBe(123)
    expect(readDoorbellTicketId('{"ticket_id": "123"}', JSON_TYPE, none)).toBe(123)
    expect(readDoorbellTicketId('{"ticket": {"id": 7, "subject": "x"}}', JSON_TYPE, none)).toBe(7)
    expect(readDoorbellTicketId('{"id": 9}', 'text/plain', none)).toBe(9)
    expect(readDoorbellTicketId('ticket_id=42', 'application/x-www-form-urlencoded', none)).toBe(42)
    expect(readDoorbellTicketId('', null, new URLSearchParams('ticket_id=5'))).toBe(5)
  })

  it('finds nothing in a body that names no positive whole ticket id', ({ expect }) => {
    for (const body of ['', 'not json', '{"ticket_id": -1}', '{"ticket_id": 1.5}', '[]']) {
      expect(readDoorbellTicketId(body, JSON_TYPE, none)).toBeUndefined()
    }
    expect(readDoorbellTicketId('{"ticket_id": "12; DROP"}', JSON_TYPE, none)).toBeUndefined()
    expect(readDoorbellTicketId('ticket=1', 'application/x-www-form-urlencoded', none)).toBe(
      undefined,
    )
  })
})
