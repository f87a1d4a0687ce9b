import { describe, it } from 'vitest'
import { chunkBySize, MAX_BATCH_BYTES } from '../../src/delivery/replay-chunks'

const sized = (...kb: number[]) => kb.map((n, i) => ({ id: i, bytes: n * 1000 }))

describe('chunkBySize', () => {
  it('keeps every sendBatch under 256 KB in all', ({ expect }) => {
    const chunks = chunkBySize(sized(100, 100, 100, 100, 100))

    expect(chunks.map((c) => c.map((m) => m.id))).toEqual([[0, 1], [2, 3], [4]])
    for (const chunk of chunks) {
      expect(chunk.reduce((a, m) => a + m.bytes, 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES)
    }
  })

  it('packs small letters up to 100 a batch, in order', ({ expect }) => {
    const chunks = chunkBySize(sized(...Array<number>(250).fill(1)))

    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50])
    expect(chunks.flat().map((m) => m.id)).toEqual([...Array(250).keys()])
  })

  it('sends a letter bigger than a batch alone, and nothing for no letters', ({ expect }) => {
    expect(chunkBySize(sized(10, 250, 10)).map((c) => c.map((m) => m.id))).toEqual([[0], [1], [2]])
    expect(chunkBySize([])).toEqual([])
  })
})
