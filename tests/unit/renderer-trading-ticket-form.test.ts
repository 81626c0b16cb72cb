import { describe, expect, it } from 'vitest'
import {
  cleanNumber,
  conditionalInput,
  emptyConditional,
  emptyTicket,
  fieldOfPath,
  inputKey,
  messagesByField,
  previewMessages,
  ticketInput,
  type TicketFields,
} from '../../src-renderer/features/trading/ticketForm'
import { ticketSchema, conditionalCreateSchema, type TicketPreview } from '../../src-main/api/schemas/trading'

const market = { venueId: 'sim', symbol: 'BTC/USDT' }
const form = (patch: Partial<TicketFields> = {}, conditional: Partial<TicketFields['conditional']> = {}): TicketFields => ({
  ...emptyTicket,
  ...patch,
  conditional: { ...emptyConditional, ...conditional },
})

function input<T>(built: { ok: true; input: T } | { ok: false; missing: unknown }): T {
  if (!built.ok) throw new Error(`expected an input, got missing ${JSON.stringify(built.missing)}`)
  return built.input
}

describe('ticketInput (orders.preview / orders.submit)', () => {
  it('maps a limit buy, with separators and spaces taken out of the numbers', () => {
    const i = input(ticketInput(market, form({ side: 'buy', kind: 'limit', timeInForce: 'IOC', size: ' 0.010 ', price: '94,500.10' })))
    expect(i).toEqual({
      venueId: 'sim',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      postOnly: false,
      timeInForce: 'IOC',
      size: { unit: 'base', value: '0.010' },
      price: '94500.10',
    })
    // What the ticket sends is what the contract accepts.
    expect(ticketSchema.safeParse(i).success).toBe(true)
  })

  it('sends no price for a market order, even when one was typed earlier', () => {
    const i = input(ticketInput(market, form({ kind: 'market', size: '100', unit: 'quote', price: '95000' })))
    expect(i.type).toBe('market')
    expect('price' in i).toBe(false)
    expect(i.size).toEqual({ unit: 'quote', value: '100' })
    expect(ticketSchema.safeParse(i).success).toBe(true)
  })

  it('makes post-only a GTC limit order whatever time in force was picked', () => {
    const i = input(ticketInput(market, form({ kind: 'post-only', timeInForce: 'FOK', size: '50', unit: 'percent', price: '90000' })))
    expect(i).toMatchObject({ type: 'limit', postOnly: true, timeInForce: 'GTC', size: { unit: 'percent', value: '50' } })
    expect(ticketSchema.safeParse(i).success).toBe(true)
  })

  it('names each empty required field, and the market when none is chosen', () => {
    const built = ticketInput(null, form({ kind: 'limit', size: '', price: ' ' }))
    expect(built.ok).toBe(false)
    if (built.ok) return
    expect(built.missing.map((m) => m.field).sort()).toEqual(['market', 'price', 'size'])
  })

  it('leaves checking the numbers to the engine (a typo is sent as typed)', () => {
    const i = input(ticketInput(market, form({ size: '0.0.1', price: 'abc' })))
    expect(i.size.value).toBe('0.0.1')
    expect(i.price).toBe('abc')
  })
})

describe('conditionalInput (conditional.create)', () => {
  it('maps a stop-market sell on the bid, held in the app', () => {
    const i = input(conditionalInput(market, form({ side: 'sell', size: '0.5' }, { mode: 'stop-market', trigger: 'bid', triggerPrice: '90,000' })))
    expect(i).toEqual({
      type: 'single',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      placement: 'app',
      leg: { kind: 'stop-market', side: 'sell', amount: '0.5', trigger: 'bid', triggerPrice: '90000' },
    })
    expect(conditionalCreateSchema.safeParse(i).success).toBe(true)
  })

  it('needs both prices for a stop-limit and says which one is missing', () => {
    const built = conditionalInput(market, form({ size: '1' }, { mode: 'stop-limit', triggerPrice: '90000' }))
    expect(built).toEqual({ ok: false, missing: [{ field: 'limitPrice', message: 'Enter a limit price' }] })
    const i = input(conditionalInput(market, form({ size: '1' }, { mode: 'take-profit-limit', triggerPrice: '99000', limitPrice: '98990', placement: 'exchange' })))
    expect(i).toMatchObject({ placement: 'exchange', leg: { kind: 'take-profit-limit', triggerPrice: '99000', limitPrice: '98990' } })
  })

  it('maps a trailing stop in percent or price, with the activation price only when given', () => {
    const pct = input(conditionalInput(market, form({ side: 'sell', size: '0.1' }, { mode: 'trailing-stop', trailUnit: 'percent', trailValue: '1.5' })))
    expect(pct).toMatchObject({ leg: { kind: 'trailing-stop', distance: { unit: 'percent', value: '1.5' } } })
    if (pct.type !== 'single') throw new Error('single')
    expect('activationPrice' in pct.leg).toBe(false)
    const px = input(
      conditionalInput(market, form({ side: 'sell', size: '0.1' }, { mode: 'trailing-stop', trailUnit: 'price', trailValue: '250', activationPrice: '97000' })),
    )
    expect(px).toMatchObject({ leg: { distance: { unit: 'price', value: '250' }, activationPrice: '97000' } })
    expect(conditionalCreateSchema.safeParse(px).success).toBe(true)
    expect(conditionalInput(market, form({ size: '0.1' }, { mode: 'trailing-stop' }))).toEqual({
      ok: false,
      missing: [{ field: 'trailValue', message: 'Enter a trailing distance' }],
    })
  })

  it('makes an OCO of a take-profit and a stop on the same side; a limit price makes a leg a limit leg', () => {
    const i = input(
      conditionalInput(market, form({ side: 'sell', size: '0.2' }, { mode: 'oco', tpTrigger: '100000', tpLimit: '99990', slTrigger: '90000' })),
    )
    expect(i).toMatchObject({
      type: 'oco',
      legs: [
        { kind: 'take-profit-limit', side: 'sell', amount: '0.2', triggerPrice: '100000', limitPrice: '99990' },
        { kind: 'stop-market', side: 'sell', amount: '0.2', triggerPrice: '90000' },
      ],
    })
    expect(conditionalCreateSchema.safeParse(i).success).toBe(true)
  })

  it('makes a bracket of the ticket order as entry plus take-profit and stop-loss, both on the chosen trigger source', () => {
    const i = input(
      conditionalInput(
        market,
        form({ side: 'buy', kind: 'limit', size: '100', unit: 'quote', price: '94000' }, { mode: 'bracket', trigger: 'mid', tpTrigger: '99000', slTrigger: '91000', slLimit: '90900' }),
      ),
    )
    expect(i).toEqual({
      type: 'bracket',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'limit', postOnly: false, timeInForce: 'GTC', size: { unit: 'quote', value: '100' }, price: '94000' },
      takeProfit: { triggerPrice: '99000', trigger: 'mid' },
      stopLoss: { triggerPrice: '91000', limitPrice: '90900', trigger: 'mid' },
    })
    expect(conditionalCreateSchema.safeParse(i).success).toBe(true)
  })

  it('refuses a quote or % size for stop / OCO legs (they are sized in the base asset)', () => {
    const built = conditionalInput(market, form({ size: '50', unit: 'percent' }, { mode: 'stop-market', triggerPrice: '90000' }))
    expect(built).toEqual({ ok: false, missing: [{ field: 'size', message: 'Conditional orders are sized in the base asset' }] })
  })
})

describe('cleanNumber', () => {
  it('takes out thousands separators only where they group thousands', () => {
    expect(cleanNumber(' 95,000.50 ')).toBe('95000.50')
    expect(cleanNumber('1,234,567')).toBe('1234567')
    expect(cleanNumber('1 000')).toBe('1000')
    expect(cleanNumber('0.001')).toBe('0.001')
  })

  it('leaves a decimal comma or odd grouping alone, so it is refused rather than read 10× too big', () => {
    expect(cleanNumber('0,5')).toBe('0,5')
    expect(cleanNumber('1 000,5')).toBe('1 000,5')
    expect(cleanNumber('12,34')).toBe('12,34')
    expect(cleanNumber('1,000 000')).toBe('1,000 000')
  })

  it('never reads a decimal comma after a zero as a thousands group ("0,500" is not 500)', () => {
    for (const typed of ['0,500', '0 500', '0,036', '00,500', '0,000', '0,500.5']) expect(cleanNumber(typed)).toBe(typed)
    // A ticket with them sends them as typed, for the engine to refuse, never 1000× too big.
    const i = input(ticketInput(market, form({ side: 'buy', kind: 'limit', size: '0,500', price: '0,036' })))
    expect(i.size).toEqual({ unit: 'base', value: '0,500' })
    expect(i.price).toBe('0,036')
    expect(ticketSchema.safeParse(i).success).toBe(false)
  })
})

describe('messages next to fields', () => {
  it('puts each preview problem next to its field (balance next to the amount, risk and book at the form)', () => {
    const preview: TicketPreview = {
      venueId: 'sim',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: null,
      price: null,
      notional: null,
      estimatedAvgPrice: null,
      slippagePct: null,
      estimatedFee: null,
      feeAsset: null,
      bookStatus: 'stale',
      ok: false,
      problems: [
        { field: 'price', message: 'price 1.005 is not on the tick 0.01' },
        { field: 'balance', message: 'needs 950 USDT, 10 available' },
        { field: 'size', message: 'below the minimum notional 5' },
        { field: 'risk', message: 'trading is halted' },
        { field: 'book', message: 'the book is stale' },
      ],
    }
    expect(messagesByField(previewMessages(preview))).toEqual({
      price: ['price 1.005 is not on the tick 0.01'],
      size: ['needs 950 USDT, 10 available', 'below the minimum notional 5'],
      general: ['trading is halted', 'the book is stale'],
    })
  })

  it('maps the contract paths an engine refusal names to the ticket fields', () => {
    expect(fieldOfPath('size.value', 'none')).toBe('size')
    expect(fieldOfPath('price', 'none')).toBe('price')
    expect(fieldOfPath('symbol', 'none')).toBe('market')
    expect(fieldOfPath('leg.triggerPrice', 'stop-limit')).toBe('triggerPrice')
    expect(fieldOfPath('leg.distance.value', 'trailing-stop')).toBe('trailValue')
    expect(fieldOfPath('legs.0.triggerPrice', 'oco')).toBe('tpTrigger')
    expect(fieldOfPath('legs.1.limitPrice', 'oco')).toBe('slLimit')
    expect(fieldOfPath('stopLoss.limitPrice', 'bracket')).toBe('slLimit')
    expect(fieldOfPath('entry.price', 'bracket')).toBe('price')
    expect(fieldOfPath('something.else', 'none')).toBeNull()
  })

  it('keys an input by its content, so a late answer for an older form is not shown', () => {
    const a = input(ticketInput(market, form({ size: '1', price: '1' })))
    const b = input(ticketInput(market, form({ size: '1', price: '2' })))
    expect(inputKey(a)).not.toBe(inputKey(b))
    expect(inputKey(a)).toBe(inputKey(input(ticketInput(market, form({ size: '1', price: '1' })))))
  })
})
