import type { Meta } from './schemas'

export interface Page<T> {
  items: T[]
  meta?: Meta | null
}

/**
 * Every item of a paged Udesk list, fetching the next page only when the caller wants more.
 * Follows `meta` (current_page / total_pages) and stops early on an empty page, so a list that
 * shrinks while it is read cannot loop.
 */
export async function* paginate<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
  firstPage = 1,
): AsyncGenerator<T, void, undefined> {
  let page = firstPage
  for (;;) {
    const { items, meta } = await fetchPage(page)
    yield* items
    if (items.length === 0 || !meta || meta.current_page >= meta.total_pages) return
    page = Math.max(page, meta.current_page) + 1
  }
}

export interface ScrollBatch<T> {
  items: T[]
  /** Total the export will yield, as Udesk counts it. */
  total?: number | null
  scrollId?: string | null
}

/**
 * Batches of a scroll export: the first call opens the scroll, each later call passes the
 * scroll id the previous answer gave, and the export ends with an empty batch. Udesk forgets a
 * scroll id after a minute, so the caller should not hold a batch longer than that.
 */
export async function* scroll<T>(
  fetchBatch: (scrollId: string | undefined) => Promise<ScrollBatch<T>>,
): AsyncGenerator<ScrollBatch<T>, void, undefined> {
  let scrollId: string | undefined
  for (;;) {
    const batch = await fetchBatch(scrollId)
    if (batch.items.length === 0) return
    yield batch
    if (!batch.scrollId) return
    scrollId = batch.scrollId
  }
}
