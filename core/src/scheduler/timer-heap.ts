/** Something kept in the heap; `heapIndex` is maintained by the heap (-1 when outside). */
export interface HeapItem {
  dueAt: number
  heapIndex: number
}

/**
 * A binary min-heap on `dueAt` that knows where each item sits, so that
 * removing or rescheduling one monitor is O(log n) — the scheduler keeps
 * every monitor in one of these behind a single timer.
 */
export class TimerHeap<T extends HeapItem> {
  readonly #items: T[] = []

  get size(): number {
    return this.#items.length
  }

  peek(): T | undefined {
    return this.#items[0]
  }

  push(item: T): void {
    item.heapIndex = this.#items.length
    this.#items.push(item)
    this.#up(item.heapIndex)
  }

  pop(): T | undefined {
    const items = this.#items
    const top = items[0]
    if (top === undefined) return undefined
    const last = items.pop() as T
    if (last !== top) {
      items[0] = last
      last.heapIndex = 0
      this.#down(0)
    }
    top.heapIndex = -1
    return top
  }

  remove(item: T): boolean {
    const i = item.heapIndex
    if (i < 0 || this.#items[i] !== item) return false
    const last = this.#items.pop() as T
    if (last !== item) {
      this.#items[i] = last
      last.heapIndex = i
      this.#down(i)
      this.#up(last.heapIndex)
    }
    item.heapIndex = -1
    return true
  }

  /** Re-sorts an item after its `dueAt` changed. */
  update(item: T): void {
    if (item.heapIndex < 0) return this.push(item)
    this.#up(item.heapIndex)
    this.#down(item.heapIndex)
  }

  #up(i: number): void {
    const items = this.#items
    const item = items[i] as T
    while (i > 0) {
      const parentIndex = (i - 1) >> 1
      const parent = items[parentIndex] as T
      if (parent.dueAt <= item.dueAt) break
      items[i] = parent
      parent.heapIndex = i
      i = parentIndex
    }
    items[i] = item
    item.heapIndex = i
  }

  #down(i: number): void {
    const items = this.#items
    const n = items.length
    const item = items[i] as T
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const child = r < n && (items[r] as T).dueAt < (items[l] as T).dueAt ? r : l
      const c = items[child] as T
      if (c.dueAt >= item.dueAt) break
      items[i] = c
      c.heapIndex = i
      i = child
    }
    items[i] = item
    item.heapIndex = i
  }
}
