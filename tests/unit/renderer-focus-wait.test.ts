import { beforeAll, describe, expect, it } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// "Edit risk limits" on a fresh session: the Orders page draws the risk form only once risk.get answers,
// which takes longer than a few frames. The action's focus must wait for the field (bounded), or what the
// user types next goes nowhere.

let focusId: (id: string, select?: boolean) => void
let doc: { activeElement: unknown; getElementById(id: string): unknown }

beforeAll(async () => {
  stubDom('other')
  doc = (globalThis as unknown as { document: typeof doc }).document
  ;({ focusId } = await loadRenderer<{ focusId: typeof focusId }>('features/trading/tradingActions.ts'))
})

const frames = (n: number) => new Promise<void>((resolve) => {
  const step = (left: number) => (left === 0 ? resolve() : setTimeout(() => step(left - 1), 0))
  step(n)
})

/** A field that is drawn after `after` looks up; records being focused. */
function lateField(after: number): { focused: () => boolean; el: { focus(): void; select(): void } } {
  let looks = 0
  let focused = false
  const el = {
    focus: () => {
      focused = true
      doc.activeElement = el
    },
    select: () => {},
  }
  doc.getElementById = () => (++looks > after ? el : null)
  return { focused: () => focused, el }
}

describe('focusId', () => {
  it('focuses a field that is drawn well after the action (data still loading)', async () => {
    doc.activeElement = null
    const f = lateField(30)
    focusId('risk-max-order', true)
    await frames(60)
    expect(f.focused()).toBe(true)
  })

  it('does not take the focus from a field the user went to meanwhile', async () => {
    doc.activeElement = null
    const f = lateField(30)
    focusId('risk-max-order', true)
    await frames(5)
    doc.activeElement = new (globalThis as unknown as { HTMLInputElement: new () => object }).HTMLInputElement() // typing in another field
    await frames(60)
    expect(f.focused()).toBe(false)
  })
})
