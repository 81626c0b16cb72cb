import { describe, expect, it } from 'vitest'
import { amendInput, followRows, initialTable, keyIntent, tableReducer, type TableState } from '../../src-renderer/features/trading/tableNav'

const ids = ['a', 'b', 'c', 'd']

describe('keyIntent', () => {
  it('moves with the arrows, Home/End and pages', () => {
    expect(keyIntent({ key: 'ArrowDown' }, ids, null, true)).toEqual({ kind: 'move', id: 'a' })
    expect(keyIntent({ key: 'ArrowDown' }, ids, 'b', true)).toEqual({ kind: 'move', id: 'c' })
    expect(keyIntent({ key: 'ArrowUp' }, ids, 'a', true)).toEqual({ kind: 'move', id: 'a' })
    expect(keyIntent({ key: 'End' }, ids, 'a', true)).toEqual({ kind: 'move', id: 'd' })
  })

  it('cancels the selected row with Delete or Backspace', () => {
    expect(keyIntent({ key: 'Delete' }, ids, 'c', true)).toEqual({ kind: 'cancel', id: 'c' })
    expect(keyIntent({ key: 'Backspace' }, ids, 'c', false)).toEqual({ kind: 'cancel', id: 'c' })
  })

  it('amends with Enter or E where the table allows it', () => {
    expect(keyIntent({ key: 'Enter' }, ids, 'b', true)).toEqual({ kind: 'amend', id: 'b' })
    expect(keyIntent({ key: 'e' }, ids, 'b', true)).toEqual({ kind: 'amend', id: 'b' })
    expect(keyIntent({ key: 'E' }, ids, 'b', true)).toEqual({ kind: 'amend', id: 'b' })
    expect(keyIntent({ key: 'Enter' }, ids, 'b', false)).toBeNull()
  })

  it('does nothing without a selection, for a row that left, or with a modifier held (those are app shortcuts)', () => {
    expect(keyIntent({ key: 'Delete' }, ids, null, true)).toBeNull()
    expect(keyIntent({ key: 'Delete' }, ids, 'gone', true)).toBeNull()
    expect(keyIntent({ key: 'Backspace', ctrlKey: true }, ids, 'a', true)).toBeNull()
    expect(keyIntent({ key: 'ArrowDown', metaKey: true }, ids, 'a', true)).toBeNull()
    expect(keyIntent({ key: 'x' }, ids, 'a', true)).toBeNull()
  })
})

describe('followRows', () => {
  it('keeps a selection that is still there', () => {
    expect(followRows('b', ['x', 'a', 'b'], ids)).toBe('b')
  })

  it('hands a removed row’s selection to the next row, or the previous one at the end', () => {
    expect(followRows('b', ['a', 'c', 'd'], ids)).toBe('c')
    expect(followRows('d', ['a', 'b', 'c'], ids)).toBe('c')
    // Two rows gone at once: the next survivor.
    expect(followRows('b', ['a', 'd'], ids)).toBe('d')
  })

  it('clears the selection when every row is gone', () => {
    expect(followRows('a', [], ids)).toBeNull()
    expect(followRows(null, ids, ids)).toBeNull()
  })
})

describe('tableReducer: inline amend', () => {
  const start = (state: TableState = initialTable) =>
    tableReducer(state, { type: 'startEdit', row: { id: 'b', price: '95000.00', amount: '0.01' } })

  it('opens the editor on the price (amount for a market order) with the row’s values', () => {
    const s = start()
    expect(s.selected).toBe('b')
    expect(s.edit).toMatchObject({ id: 'b', price: '95000.00', amount: '0.01', field: 'price', sending: false, error: null })
    const m = tableReducer(initialTable, { type: 'startEdit', row: { id: 'c', price: null, amount: '1' } })
    expect(m.edit?.field).toBe('amount')
  })

  it('types, sends, and closes on success; keeps the draft with the engine’s words on failure', () => {
    let s = start()
    s = tableReducer(s, { type: 'editField', field: 'price', value: '94000' })
    s = tableReducer(s, { type: 'sending' })
    expect(s.edit?.sending).toBe(true)
    const failed = tableReducer(s, { type: 'failed', error: 'price 94000.001 is not on the tick' })
    expect(failed.edit).toMatchObject({ price: '94000', sending: false, error: 'price 94000.001 is not on the tick' })
    // Typing again clears the old error.
    expect(tableReducer(failed, { type: 'editField', field: 'price', value: '94000.5' }).edit?.error).toBeNull()
    expect(tableReducer(s, { type: 'sent' }).edit).toBeNull()
  })

  it('Escape (cancelEdit) drops the draft; selecting another row drops it too', () => {
    const s = start()
    expect(tableReducer(s, { type: 'cancelEdit' })).toMatchObject({ selected: 'b', edit: null })
    expect(tableReducer(s, { type: 'select', id: 'c' })).toMatchObject({ selected: 'c', edit: null })
    expect(tableReducer(s, { type: 'select', id: 'b' }).edit).not.toBeNull()
  })

  it('drops the editor and the selection when its order leaves the table (filled or canceled elsewhere)', () => {
    const s = start()
    const after = tableReducer(s, { type: 'rows', ids: ['a', 'c', 'd'], previous: ids })
    expect(after).toMatchObject({ selected: null, edit: null, left: 'b' })
    const same = tableReducer(s, { type: 'rows', ids, previous: ids })
    expect(same).toBe(s)
  })
})

describe('amendInput', () => {
  const draft = (price: string, amount: string, original = { price: '95000.00' as string | null, amount: '0.01' }) => ({
    id: 'o1',
    price,
    amount,
    original,
    field: 'price' as const,
    sending: false,
    error: null,
  })

  it('sends only what changed', () => {
    expect(amendInput(draft('94,000', '0.01'))).toEqual({ clientOrderId: 'o1', price: '94000' })
    expect(amendInput(draft('95000.00', '0.02'))).toEqual({ clientOrderId: 'o1', amount: '0.02' })
    expect(amendInput(draft('94000', '0.02'))).toEqual({ clientOrderId: 'o1', price: '94000', amount: '0.02' })
  })

  it('sends nothing when nothing changed, also when only trailing zeros differ', () => {
    expect(amendInput(draft('95000.00', '0.01'))).toBeNull()
    expect(amendInput(draft('95000', '0.0100'))).toBeNull()
    expect(amendInput(draft('', ''))).toBeNull()
  })

  it('never sends a price for a market order, and passes a typo on for the engine to refuse', () => {
    expect(amendInput(draft('100', '0.5', { price: null, amount: '0.01' }))).toEqual({ clientOrderId: 'o1', amount: '0.5' })
    expect(amendInput(draft('9x', '0.01'))).toEqual({ clientOrderId: 'o1', price: '9x' })
  })
})

// Delete cancels the selected row. The selection moves on to a neighbour only when the row left because
// of this table's own action (Delete, Delete, … works down a list); a row that left for any other reason
// (filled, canceled from elsewhere) clears the selection, so the next Delete cannot cancel an order the
// user never chose.
describe('tableReducer: the selected row leaves', () => {
  const selectB = tableReducer(initialTable, { type: 'select', id: 'b' })

  it('after this table acted on it (Delete): the next row is selected', () => {
    const acted = tableReducer(selectB, { type: 'acted', id: 'b' })
    const after = tableReducer(acted, { type: 'rows', ids: ['a', 'c', 'd'], previous: ids })
    expect(after).toMatchObject({ selected: 'c', left: null })
    expect(keyIntent({ key: 'Delete' }, ['a', 'c', 'd'], after.selected, true)).toEqual({ kind: 'cancel', id: 'c' })
    // …and again: Delete, Delete works down the list.
    const again = tableReducer(tableReducer(after, { type: 'acted', id: 'c' }), { type: 'rows', ids: ['a', 'd'], previous: ['a', 'c', 'd'] })
    expect(again.selected).toBe('d')
  })

  it('on its own (a fill, a cancel from elsewhere): nothing is selected, it is said, and Delete does nothing', () => {
    const after = tableReducer(selectB, { type: 'rows', ids: ['a', 'c', 'd'], previous: ids })
    expect(after).toMatchObject({ selected: null, left: 'b' })
    expect(keyIntent({ key: 'Delete' }, ['a', 'c', 'd'], after.selected, true)).toBeNull()
    // A new selection ends the notice.
    expect(tableReducer(after, { type: 'select', id: 'a' })).toMatchObject({ selected: 'a', left: null })
  })

  it('an action on another row does not count for the selected one', () => {
    const acted = tableReducer(tableReducer(selectB, { type: 'acted', id: 'c' }), { type: 'select', id: 'b' })
    expect(tableReducer(acted, { type: 'rows', ids: ['a', 'c', 'd'], previous: ids }).selected).toBeNull()
  })
})
