import { describe, expect, it } from 'vitest'
import { PositionedHeap } from '../../src-main/trading/conditional/heaps'

// The trailing book's fire heap: keys change and values leave in place; pops must still come out in key order.
interface Item {
  id: number
  heapPos: number
}

describe('PositionedHeap', () => {
  it('pops in key order after random inserts, key moves, removals and top replacements (checked against a plain map)', () => {
    let seed = 7
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
    for (let round = 0; round < 20; round++) {
      const heap = new PositionedHeap<Item>()
      const items: Item[] = Array.from({ length: 40 }, (_, id) => ({ id, heapPos: -1 }))
      const keys = new Map<Item, number>()
      for (let op = 0; op < 200; op++) {
        const it = items[Math.floor(rnd() * items.length)] as Item
        const r = rnd()
        if (r < 0.6) {
          const k = Math.floor(rnd() * 100) - 50
          heap.set(it, k)
          keys.set(it, k)
        } else if (r < 0.8) {
          heap.delete(it)
          keys.delete(it)
        } else if (r < 0.88) {
          // The trail book's fire: the top leaves, or its key grows (its highest triggers fired).
          const top = heap.peek()
          if (top !== undefined) {
            const stays = rnd() < 0.6
            const k = (keys.get(top) as number) + Math.floor(rnd() * 30)
            heap.replaceTop(k, stays)
            if (stays) keys.set(top, k)
            else keys.delete(top)
          }
        } else {
          const top = heap.pop()
          const min = keys.size === 0 ? undefined : Math.min(...keys.values())
          expect(top === undefined ? undefined : keys.get(top)).toBe(min)
          if (top !== undefined) keys.delete(top)
        }
        expect(heap.size).toBe(keys.size)
        expect(heap.peekKey()).toBe(keys.size === 0 ? Infinity : Math.min(...keys.values()))
        expect(items.filter((x) => x.heapPos >= 0 !== keys.has(x))).toEqual([])
      }
      const out: number[] = []
      for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(keys.get(v) as number)
      expect(out).toEqual([...keys.values()].sort((a, b) => a - b))
    }
  })
})
