import { describe, expect, it } from 'vitest'
import { conditionalAmendInput, conditionalDraftRow } from '../../src-renderer/features/trading/conditionalAmend'
import { initialTable, tableReducer, type TableEvent, type TableState } from '../../src-renderer/features/trading/tableNav'
import type { ConditionalView } from '../../src-main/api/schemas/trading'

const view = (patch: Partial<ConditionalView> = {}): ConditionalView => ({
  id: 'c1',
  groupId: null,
  groupType: 'single',
  venueId: 'sim',
  venueLabel: 'Simulated exchange',
  symbol: 'BTC/USDT',
  kind: 'stop-limit',
  side: 'sell',
  amount: '0.01',
  trigger: 'last',
  placement: 'app',
  triggerPrice: '90000',
  limitPrice: '89900',
  trailing: null,
  status: 'armed',
  reason: null,
  currentPrice: '95000',
  distancePct: '5.26',
  clientOrderId: null,
  createdAt: 1000,
  updatedAt: 1000,
  ...patch,
})

const run = (events: TableEvent[]): TableState => events.reduce(tableReducer, initialTable)

describe('the conditional table’s inline amend', () => {
  it('opens on the trigger price; sends the trigger and limit it would have, with the terms it was opened on', () => {
    const row = conditionalDraftRow(view())!
    expect(row).toEqual({ id: 'c1', price: '90000', amount: '89900' })
    const moved = run([{ type: 'startEdit', row }, { type: 'editField', field: 'price', value: '91,000' }]).edit!
    expect(moved.field).toBe('price')
    // The limit goes too (unchanged): the engine never fills it in from terms another window may have moved.
    const seen = { triggerPrice: '90000', limitPrice: '89900' }
    expect(conditionalAmendInput(moved, false)).toEqual({ id: 'c1', triggerPrice: '91000', limitPrice: '89900', expected: seen })
    const both = run([{ type: 'startEdit', row }, { type: 'editField', field: 'price', value: '91000' }, { type: 'editField', field: 'amount', value: '90900' }]).edit!
    expect(conditionalAmendInput(both, false)).toEqual({ id: 'c1', triggerPrice: '91000', limitPrice: '90900', expected: seen })
    const limitOnly = run([{ type: 'startEdit', row }, { type: 'editField', field: 'amount', value: '89950' }]).edit!
    expect(conditionalAmendInput(limitOnly, false)).toEqual({ id: 'c1', triggerPrice: '90000', limitPrice: '89950', expected: seen })
    // The same number written differently is no change.
    expect(conditionalAmendInput(run([{ type: 'startEdit', row }, { type: 'editField', field: 'price', value: '90000.00' }]).edit!, false)).toBeNull()
  })

  it('a trailing stop opens on its distance and sends it as trailingValue', () => {
    const trailing = view({
      kind: 'trailing-stop',
      limitPrice: null,
      triggerPrice: '85500',
      trailing: { unit: 'percent', value: '10', activationPrice: null, activated: true, reference: '95000' },
    })
    const row = conditionalDraftRow(trailing)!
    expect(row).toEqual({ id: 'c1', price: '10', amount: '' })
    expect(conditionalAmendInput(run([{ type: 'startEdit', row }, { type: 'editField', field: 'price', value: '5' }]).edit!, true)).toEqual({ id: 'c1', trailingValue: '5', expected: { trailingValue: '10' } })
  })

  it('a market kind has no limit to send; exchange-held, triggered and ended orders do not open', () => {
    const row = conditionalDraftRow(view({ kind: 'stop-market', limitPrice: null }))!
    expect(conditionalAmendInput(run([{ type: 'startEdit', row }, { type: 'editField', field: 'amount', value: '1' }]).edit!, false)).toBeNull()
    expect(conditionalAmendInput(run([{ type: 'startEdit', row }, { type: 'editField', field: 'price', value: '89000' }]).edit!, false)).toEqual({
      id: 'c1',
      triggerPrice: '89000',
      expected: { triggerPrice: '90000' },
    })
    expect(conditionalDraftRow(view({ placement: 'exchange' }))).toBeNull()
    expect(conditionalDraftRow(view({ status: 'triggered' }))).toBeNull()
    expect(conditionalDraftRow(view({ status: 'canceled' }))).toBeNull()
    expect(conditionalDraftRow(view({ status: 'waiting' }))).not.toBeNull()
  })
})
