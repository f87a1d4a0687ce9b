import { env, exports } from 'cloudflare:workers'
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { afterEach, describe, it, vi } from 'vitest'
import { replayLetter } from '../../src/console/letters'
import { deadLetterId } from '../../src/delivery/dead-letters'
import type { DeliveryMessage } from '../../src/delivery/message'
import worker from '../../src/index'
import { ticketsMentioning, ticketWith } from './alert-tickets'
import { multipartPost, unique, visitor } from './form-requests'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

describe(
  'a form whose small files rode in its queue message, dead-lettered',
  { timeout: 20_000 },
  () => {
    it('keeps the files when the platform moves the message to the dead letters, so its replay attaches them', async ({
      expect,
    }) => {
      const tag = `dead-files-${unique()}`
      const queue = watchQueue()
      // Held back from the deliveries consumer: the platform gives the message up (the consumer
      // could never store its files, KV being down) and moves it to the dead-letter queue as is.
      vi.spyOn(env.DELIVERY_QUEUE, 'sendBatch').mockResolvedValueOnce({} as QueueSendBatchResponse)
      const form = new FormData()
      form.set('email', visitor())
      form.set('message', `Screenshot attached (${tag})`)
      form.append('files', new File(['line 1\nline 2\n'], 'app.log', { type: 'text/plain' }))
      expect((await exports.default.fetch(multipartPost('contact', form))).status).toBe(202)
      const [moved] = queue.sent() as (DeliveryMessage & { files?: unknown[] })[]
      expect(moved?.files).toHaveLength(1)
      const batch = createMessageBatch<DeliveryMessage>('udesk-bridge-dead-letters', [
        { id: `dl-${tag}`, timestamp: new Date(), attempts: 1, body: moved! },
      ])
      await worker.queue(batch, env)
      expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual([
        `dl-${tag}`,
      ])

      const replayed = await replayLetter(env, await deadLetterId(moved!))

      expect(replayed).toEqual({ replayed: 1 })
      const ticket = await ticketWith(tag, 1)
      expect(ticket.attachments.map((a) => a.name)).toEqual(['app.log'])
    })
  },
)
