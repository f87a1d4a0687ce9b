import { describe, it } from 'vitest'
import { hasReference, withReference } from '../../src/delivery/reference'

describe('the event reference in escaped content', () => {
  it('is found again in the HTML it was written into, whatever the id holds', ({ expect }) => {
    const id = `events:msg_<a&b>'"x":0`

    const content = withReference('<b>hi</b>', id)

    expect(content).toBe(
      '&lt;b&gt;hi&lt;/b&gt;<br>\n<br>\nudesk-bridge-ref: events:msg_&lt;a&amp;b&gt;&#39;&quot;x&quot;:0',
    )
    expect(hasReference(content, id)).toBe(true)
  })

  it('is not confused with an id that merely starts alike', ({ expect }) => {
    const content = withReference('hello', 'slack:T1:C1:1.2:0')

    expect(hasReference(content, 'slack:T1:C1:1.2:0')).toBe(true)
    expect(hasReference(content, 'slack:T1:C1:1.2:')).toBe(false)
    expect(hasReference(`${content}5`, 'slack:T1:C1:1.2:0')).toBe(false)
  })

  it('renders Slack content when the event says so', ({ expect }) => {
    expect(withReference('<https://x.example|x>', 'e:1', 'slack')).toMatch(
      /^<a href="https:\/\/x\.example"/,
    )
  })
})
