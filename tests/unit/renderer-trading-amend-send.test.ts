import { describe, expect, it } from 'vitest'
import { sendEdit, type EditEffects } from '../../src-renderer/features/trading/editSend'
import { initialTable, tableReducer, type AmendDraft, type TableEvent, type TableState } from '../../src-renderer/features/trading/tableNav'

// An inline amend of an open order is a cancel-replace: its refusal may come when the row has gone.

const row = { id: 'o1', price: '100.00', amount: '0.01' }

/** A table with rows o0, o1, o2 and o1's editor open, run through the real reducer. */
function table(fxPatch: Partial<EditEffects> = {}) {
  let state: TableState = [{ type: 'rows', ids: ['o0', 'o1', 'o2'], previous: [] } as TableEvent, { type: 'startEdit', row } as TableEvent].reduce(tableReducer, initialTable)
  const toasts: string[] = []
  let ids = ['o0', 'o1', 'o2']
  const fx: EditEffects = {
    dispatch: (e) => {
      state = tableReducer(state, e)
    },
    focus: () => {},
    present: (id) => ids.includes(id),
    replaces: true,
    refusedGone: (message) => toasts.push(message),
    ...fxPatch,
  }
  /** The rows change, as the store's stream would make them. */
  const rows = (next: string[]) => {
    state = tableReducer(state, { type: 'rows', ids: next, previous: ids })
    ids = next
  }
  return { fx, toasts, rows, state: () => state, edit: () => state.edit as AmendDraft }
}

describe('sending an inline amend', () => {
  it('a refusal while the row is still there stays in the row, no toast', async () => {
    const t = table()
    await sendEdit(t.edit(), async () => Promise.reject(new Error('Price 1.005 is not on the tick')), t.fx)
    expect(t.state().edit).toMatchObject({ id: 'o1', error: 'Price 1.005 is not on the tick', sending: false })
    expect(t.toasts).toEqual([])
  })

  it('a refusal after the row has gone (original canceled, replacement refused) is said in a toast', async () => {
    const t = table()
    const refused = 'Your order was canceled, but its replacement was refused: insufficient funds'
    await sendEdit(
      t.edit(),
      async () => {
        await Promise.resolve() // on its way
        t.rows(['o0', 'o2']) // the cancel's stream event took the row away before the answer came
        throw new Error(refused)
      },
      t.fx,
    )
    expect(t.toasts).toEqual([refused])
    // The row left because of this table's own amend: no false "left this table (filled or canceled elsewhere)".
    expect(t.state().left).toBeNull()
  })

  it('a replaced row selects its replacement; nothing changed closes without sending', async () => {
    const t = table()
    await sendEdit(
      t.edit(),
      async () => {
        t.rows(['o0', 'o2', 'o9'])
        return { select: 'o9' }
      },
      t.fx,
    )
    expect(t.state()).toMatchObject({ selected: 'o9', edit: null, left: null })
    expect(t.toasts).toEqual([])
    const u = table()
    await sendEdit(u.edit(), () => null, u.fx)
    expect(u.state().edit).toBeNull()
  })
})
