import { describe, it } from 'vitest'
import { paginate, scroll, type Page, type ScrollBatch } from '../../src/udesk/paginate'

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

/** A list of `count` numbers served `size` per page, the way Udesk describes it in `meta`. */
function pagedList(count: number, size: number, requested: number[]) {
  return async (page: number): Promise<Page<number>> => {
    requested.push(page)
    const items = Array.from({ length: count }, (_, i) => i + 1).slice(
      (page - 1) * size,
      page * size,
    )
    const total_pages = Math.max(1, Math.ceil(count / size))
    return { items, meta: { current_page: page, total_pages, total_count: count } }
  }
}

describe('paginate', () => {
  it('reads every page that meta announces, in order', async ({ expect }) => {
    const requested: number[] = []

    const items = await collect(paginate(pagedList(45, 20, requested)))

    expect(items).toEqual(Array.from({ length: 45 }, (_, i) => i + 1))
    expect(requested).toEqual([1, 2, 3])
  })

  it('asks for the next page only when the reader wants more', async ({ expect }) => {
    const requested: number[] = []

    for await (const item of paginate(pagedList(45, 20, requested))) {
      if (item === 3) break
    }

    expect(requested).toEqual([1])
  })

  it('stops on an empty page even if meta promises more', async ({ expect }) => {
    const requested: number[] = []
    const shrinking = async (page: number): Promise<Page<number>> => {
      requested.push(page)
      return {
        items: page === 1 ? [1] : [],
        meta: { current_page: page, total_pages: 9, total_count: 9 },
      }
    }

    expect(await collect(paginate(shrinking))).toEqual([1])
    expect(requested).toEqual([1, 2])
  })

  it('stops after one page when the answer has no meta', async ({ expect }) => {
    expect(await collect(paginate(async () => ({ items: ['a', 'b'] })))).toEqual(['a', 'b'])
  })
})

describe('scroll', () => {
  it('passes each new scroll id on and ends at the empty batch', async ({ expect }) => {
    const scrollIds: (string | undefined)[] = []
    const batches = [[1, 2], [3], []]
    const fetchBatch = async (scrollId: string | undefined): Promise<ScrollBatch<number>> => {
      scrollIds.push(scrollId)
      const items = batches[scrollIds.length - 1] ?? []
      return { items, total: 3, scrollId: `s${scrollIds.length}` }
    }

    const seen = await collect(scroll(fetchBatch))

    expect(seen.map((batch) => batch.items)).toEqual([[1, 2], [3]])
    expect(scrollIds).toEqual([undefined, 's1', 's2'])
  })
})
