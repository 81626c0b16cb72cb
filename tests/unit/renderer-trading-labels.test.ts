import { describe, expect, it } from 'vitest'
import {
  conditionalStatusLabel,
  describeOrder,
  distanceText,
  distanceTitle,
  endedBeforeCancelText,
  isCancelable,
  isTerminalStatus,
  orderStatusLabel,
  progressText,
  shortId,
  trailingFiresAt,
  trailingText,
} from '../../src-renderer/features/trading/labels'
import { riskInput, paperOpenInput } from '../../src-renderer/features/trading/tradingForms'
import { orderStatuses, terminalOrderStatuses, riskLimitsSchema } from '../../src-main/api/schemas/trading'
import { venueCommands } from '../../src-main/api/schemas/venues'

describe('order statuses', () => {
  it('agrees with the contract on which statuses are final', () => {
    for (const s of orderStatuses) expect(isTerminalStatus(s)).toBe((terminalOrderStatuses as readonly string[]).includes(s))
  })

  it('offers cancel and amend only on orders resting on the book', () => {
    expect(orderStatuses.filter(isCancelable)).toEqual(['open', 'partially-filled'])
  })

  it('describes an order and its progress in words', () => {
    const o = { side: 'buy' as const, amount: '0.0100', symbol: 'BTC/USDT', type: 'limit' as const, price: '90000.00', status: 'open' as const, filled: '0' }
    expect(describeOrder(o)).toBe('Buy 0.01 BTC/USDT @ 90,000')
    expect(describeOrder({ ...o, side: 'sell', type: 'market', price: null })).toBe('Sell 0.01 BTC/USDT at market')
    expect(progressText(o)).toBe('open')
    expect(progressText({ ...o, status: 'partially-filled', filled: '0.004' })).toBe('partly filled · 0.004 of 0.01 filled')
  })
})

describe('conditional orders', () => {
  it('says why an order waits or failed', () => {
    expect(conditionalStatusLabel({ status: 'waiting', reason: 'book stale: no message for 12 s' })).toEqual({
      text: 'waiting: book stale: no message for 12 s',
      tone: 'warn',
    })
    expect(conditionalStatusLabel({ status: 'armed', reason: null })).toEqual({ text: 'armed', tone: 'accent' })
    expect(conditionalStatusLabel({ status: 'failed', reason: 'insufficient balance' }).tone).toBe('err')
    const left = 'left on the exchange: the account "Binance main" was removed — the app can no longer see or cancel it'
    expect(conditionalStatusLabel({ status: 'left-on-exchange', reason: left })).toEqual({ text: left, tone: 'warn' })
    expect(orderStatusLabel('left-on-exchange')).toEqual({ text: 'left on exchange', tone: 'warn' })
  })

  it('shows distance and the trailing reference', () => {
    expect(distanceText('1.5')).toBe('1.50%')
    expect(distanceText('0.123')).toBe('0.123%')
    expect(distanceText(null)).toBe('—')
    // A triggered row measures from the limit price its order rests at; a triggered market order has no distance.
    expect(distanceTitle({ status: 'armed', limitPrice: '110', trailing: null })).toBe('How far the price is from its trigger')
    expect(distanceTitle({ status: 'triggered', limitPrice: '110', trailing: null })).toBe('Triggered: how far the price is from the limit price its order rests at')
    expect(distanceTitle({ status: 'triggered', limitPrice: null, trailing: null })).toBe('Triggered: its market order has no price to reach')
    expect(distanceTitle({ status: 'waiting', limitPrice: null, trailing: { unit: 'price', value: '50', activationPrice: '96000', activated: false, reference: null } })).toBe(
      'How far the price is from its activation price',
    )
    expect(trailingText(null)).toBeNull()
    expect(trailingText({ unit: 'percent', value: '1.5', activationPrice: null, activated: true, reference: '95010.5' })).toBe(
      'trail 1.5% · ref 95,010.5',
    )
    expect(trailingText({ unit: 'price', value: '50', activationPrice: '96000', activated: false, reference: null })).toBe(
      'trail 50 · activates at 96,000',
    )
  })

  it('shortens long ids for the tables', () => {
    expect(shortId('co-1234')).toBe('co-1234')
    expect(shortId('co-0123456789abcdef')).toBe('…89abcdef')
  })
})

describe('risk and paper forms', () => {
  it('sends an empty limit as "no limit" and the rest as typed', () => {
    const input = riskInput({ maxOrderNotional: '5,000', maxPositionNotional: '', priceBandPct: ' 5 ', dailyLossLimit: '' })
    expect(input).toEqual({ maxOrderNotional: '5000', maxPositionNotional: null, priceBandPct: '5', dailyLossLimit: null })
    expect(riskLimitsSchema.safeParse(input).success).toBe(true)
  })

  it('opens a paper account on a venue, or on an exchange’s public data with an optional API origin', () => {
    const byVenue = paperOpenInput('venue:acc-1', '', '  ', [{ asset: 'usdt', amount: '10,000' }])
    expect(byVenue).toEqual({ source: { kind: 'venue', venueId: 'acc-1' }, balances: [{ asset: 'USDT', amount: '10000' }] })
    const byExchange = paperOpenInput('exchange:binance', 'http://127.0.0.1:9000', 'Rehearsal', [
      { asset: 'USDT', amount: '5000' },
      { asset: '', amount: '' },
      { asset: 'btc', amount: '0.1' },
    ])
    expect(byExchange).toEqual({
      source: { kind: 'exchange', exchange: 'binance', apiBaseUrl: 'http://127.0.0.1:9000' },
      label: 'Rehearsal',
      balances: [
        { asset: 'USDT', amount: '5000' },
        { asset: 'BTC', amount: '0.1' },
      ],
    })
    expect(venueCommands['paper.open'].input.safeParse(byExchange).success).toBe(true)
    expect(venueCommands['paper.open'].input.safeParse(byVenue).success).toBe(true)
  })
})

describe('trailingFiresAt', () => {
  it('shows a trailing trigger at the price it fires at: a sell at or below, a buy at or above, on the tick', () => {
    // Reference 94,998.98, 1 %: exact trigger 94,048.9902. A sell fires at 94,048.99 (≤ the trigger);
    // a buy trailing 1 % above 93,117.81 (94,048.9881) fires at 94,048.99 (≥ it).
    expect(trailingFiresAt('94048.9902', '0.01', 'sell', 'last')).toBe('94048.99')
    expect(trailingFiresAt('94048.9881', '0.01', 'buy', 'bid')).toBe('94048.99')
    expect(trailingFiresAt('2.20475', '0.0001', 'buy', 'ask')).toBe('2.2048')
    // On the tick already: unchanged.
    expect(trailingFiresAt('100.25', '0.01', 'sell', 'last')).toBe('100.25')
  })

  it('uses half the tick for the mid (the mid of two tick prices), and nothing without a tick', () => {
    expect(trailingFiresAt('94048.9952', '0.01', 'sell', 'mid')).toBe('94048.995')
    expect(trailingFiresAt('94048.9952', '0.01', 'sell', 'last')).toBe('94048.99')
    expect(trailingFiresAt('101.3', '1', 'buy', 'mid')).toBe('101.5')
    expect(trailingFiresAt('94048.9902', null, 'sell', 'last')).toBeNull()
  })
})

// An order that ended on its own while its cancel was on its way is told in the engine's words for such an
// order in cancel-all's result: what filled (in the base asset), and a rejection's reason.
describe('endedBeforeCancelText', () => {
  const order = { symbol: 'ETH/USDT', amount: '10', filled: '0', error: null }
  it('says what filled, in the base asset, only when something did', () => {
    expect(endedBeforeCancelText({ ...order, status: 'expired', filled: '2.5' })).toBe('expired with 2.5 of 10 ETH filled before the cancel reached it')
    expect(endedBeforeCancelText({ ...order, status: 'expired' })).toBe('expired before the cancel reached it')
  })
  it("gives a rejection's reason", () => {
    expect(endedBeforeCancelText({ ...order, status: 'rejected', error: 'not placed: trading was halted' })).toBe('rejected before the cancel reached it (not placed: trading was halted)')
    expect(endedBeforeCancelText({ ...order, status: 'rejected' })).toBe('rejected before the cancel reached it (the exchange refused it)')
  })
})
