import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { bracket, closeStores, harness, input, rejection, rowOf, viewOf, VENUE } from './conditional-harness'

// Brackets: the entry goes out at once; its take-profit and stop-loss arm at the entry's first fill,
// sized to what it filled and growing with later fills.

afterEach(closeStores)

describe('bracket', () => {
  it('sends the entry at once; the exits wait, arm at 0.3 on the first fill, grow to 1.0, and the take-profit sells 1.0', async () => {
    const h = await harness()
    h.ticks.price('100')
    const b = await bracket(h)
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.submits[0]).toMatchObject({ side: 'buy', type: 'limit', price: '100', amount: '1', timeInForce: 'GTC', origin: { kind: 'conditional', ref: b.group } })
    expect(viewOf(h, b.tp)).toMatchObject({ kind: 'take-profit-market', side: 'sell', status: 'waiting', reason: 'arms when the entry order fills', amount: '0' })
    expect(viewOf(h, b.sl)).toMatchObject({ kind: 'stop-market', side: 'sell', status: 'waiting', amount: '0' })
    expect(rowOf(h, b.tp)).toMatchObject({ entry_client_order_id: b.entry })
    // Before any fill the price may go anywhere: nothing fires.
    h.ticks.price('111')
    h.ticks.price('100')
    expect(h.gateway.submits).toHaveLength(1)
    h.gateway.fill(b.entry, '0.3', '100')
    expect(viewOf(h, b.tp)).toMatchObject({ status: 'armed', amount: '0.3' })
    expect(viewOf(h, b.sl)).toMatchObject({ status: 'armed', amount: '0.3' })
    h.gateway.fill(b.entry, '0.7', '100')
    expect(viewOf(h, b.tp).amount).toBe('1')
    expect(rowOf(h, b.sl)).toMatchObject({ amount: '1', entry_filled: '1' })
    h.ticks.price('110')
    expect(h.gateway.submits).toHaveLength(2)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: b.tp } })
    expect(viewOf(h, b.sl).status).toBe('canceled')
  })

  it('the entry is canceled after a 0.3 fill: the exits stay armed for 0.3 and the stop sells 0.3', async () => {
    const h = await harness()
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    await h.engine.list({ scope: 'active', limit: 10 })
    h.gateway.end(b.entry, 'canceled')
    expect(viewOf(h, b.tp)).toMatchObject({ status: 'armed', amount: '0.3' })
    h.ticks.price('96')
    h.ticks.price('95')
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '0.3', origin: { ref: b.sl } })
    expect(viewOf(h, b.tp)).toMatchObject({ status: 'canceled', reason: 'its stop partner triggered' })
  })

  it('the entry is canceled before any fill: the exits are canceled with the reason', async () => {
    const h = await harness()
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.end(b.entry, 'canceled')
    expect(viewOf(h, b.tp)).toMatchObject({ status: 'canceled', reason: 'the entry order was canceled before anything filled' })
    expect(rowOf(h, b.sl)).toMatchObject({ status: 'canceled', cancel_cause: 'entry' })
    expect(h.ticks.watchers()).toBe(0)
  })

  it('an exit that triggers while the entry still works cancels the rest of the entry', async () => {
    const h = await harness()
    h.ticks.price('100')
    const b = await bracket(h, { stopLoss: { triggerPrice: '95', limitPrice: '94.9', trigger: 'bid' } })
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.push({ bid: '95', ask: '95.02', last: '95.01' })
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'limit', price: '94.9', amount: '0.3', origin: { ref: b.sl } })
    await h.settle()
    expect(h.gateway.cancels).toEqual([b.entry])
  })

  it('the take-profit follows its own trigger source: on the bid it waits while trades print above it', async () => {
    const h = await harness()
    h.ticks.price('100')
    const b = await bracket(h, { takeProfit: { triggerPrice: '110', trigger: 'bid' }, stopLoss: { triggerPrice: '95', trigger: 'bid' } })
    expect(viewOf(h, b.tp)).toMatchObject({ kind: 'take-profit-market', trigger: 'bid' })
    h.gateway.fill(b.entry, '1', '100')
    // A trade prints at 110.5 but the bid (what a market sell meets) is still 109.9: not yet.
    h.ticks.push({ bid: '109.9', ask: '110.6', last: '110.5' })
    expect(h.gateway.submits).toHaveLength(1)
    h.ticks.push({ bid: '110', ask: '110.1', last: '110.05' })
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: b.tp } })
    expect(viewOf(h, b.sl)).toMatchObject({ status: 'canceled', reason: 'its take-profit partner triggered' })
  })

  it('a market entry sized in quote is floored to the step at the ask; a sell bracket has its take-profit below', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.99', ask: '100.01', last: '100' })
    await h.engine.create(
      input({
        type: 'bracket',
        venueId: VENUE,
        symbol: 'BTC/USDT',
        entry: { side: 'buy', type: 'market', size: { unit: 'quote', value: '50' } },
        takeProfit: { triggerPrice: '110' },
        stopLoss: { triggerPrice: '95' },
      }),
    )
    expect(h.gateway.last).toMatchObject({ type: 'market', amount: '0.4999' }) // 50 / 100.01 = 0.49995…
    const views = await h.engine.create(
      input({
        type: 'bracket',
        venueId: VENUE,
        symbol: 'BTC/USDT',
        entry: { side: 'sell', type: 'limit', size: { unit: 'base', value: '0.2' }, price: '101' },
        takeProfit: { triggerPrice: '90', limitPrice: '90.1' },
        stopLoss: { triggerPrice: '105' },
      }),
    )
    expect(views.map((v) => [v.kind, v.side])).toEqual([
      ['take-profit-limit', 'buy'],
      ['stop-market', 'buy'],
    ])
  })

  it('an entry the gateway refuses leaves nothing stored', async () => {
    const h = await harness()
    h.ticks.price('100')
    h.gateway.refuseNext = new AppError('CONFLICT', 'Trading is halted by the kill switch')
    await expect(bracket(h)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Trading is halted by the kill switch' })
    expect(h.rows()).toBe(0)
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(h.ticks.watchers()).toBe(0)
  })

  it('an entry sent without an answer keeps its exits: they arm when it turns out to have filled', async () => {
    const h = await harness()
    h.ticks.price('100')
    h.gateway.unansweredNext = true
    const b = await bracket(h)
    expect(viewOf(h, b.tp)).toMatchObject({ status: 'waiting', amount: '0' })
    expect(h.rows()).toBe(2)
    // The gateway learns the order did reach the venue and filled: the exits arm for it.
    h.gateway.fill(b.entry, '1', '100')
    expect(viewOf(h, b.sl)).toMatchObject({ status: 'armed', amount: '1' })
    h.ticks.price('94')
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: b.sl } })
  })

  it('canceling the bracket before its entry fills cancels the entry order too', async () => {
    const h = await harness()
    h.ticks.price('100')
    const b = await bracket(h)
    const views = await h.engine.cancel(b.group)
    expect(views.map((v) => v.status)).toEqual(['canceled', 'canceled'])
    expect(h.gateway.cancels).toEqual([b.entry])
    h.gateway.fill(b.entry, '0.5')
    expect(viewOf(h, b.tp)).toMatchObject({ status: 'canceled', amount: '0' })
  })

  it('moving an exit before the entry fills is checked against the entry price, not the market; after the fill, against the market', async () => {
    const h = await harness()
    h.ticks.price('105') // a buy limit at 100, below the market
    const b = await bracket(h)
    // The take-profit waits for the entry: 104 is below the price now, but above the entry it arms at.
    expect((await h.engine.amend({ id: b.tp, triggerPrice: '104' }))[0]).toMatchObject({ triggerPrice: '104', status: 'waiting' })
    // A stop-loss above the entry price would fire as soon as the entry fills: refused, nothing changes.
    expect(await rejection(h.engine.amend({ id: b.sl, triggerPrice: '101' }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The stop-loss (101) must be below the entry price (100) for a buy bracket: it arms when the entry fills, and would fire at once',
    })
    expect((await rejection(h.engine.amend({ id: b.tp, triggerPrice: '99.5' }))).message).toMatch(/^The take-profit \(99.5\) must be above the entry price \(100\)/)
    expect(viewOf(h, b.sl).triggerPrice).toBe('95')
    expect(rowOf(h, b.tp)).toMatchObject({ trigger_price: '104' })

    // Filled at 100, the market at 102: a stop moved to 100.5 (beyond the entry: locking in a gain) is the
    // trader's call; one the market has crossed is refused.
    h.ticks.price('100')
    h.gateway.fill(b.entry, '1', '100')
    h.ticks.price('102')
    expect((await h.engine.amend({ id: b.sl, triggerPrice: '100.5' }))[0]).toMatchObject({ triggerPrice: '100.5', status: 'armed' })
    expect((await rejection(h.engine.amend({ id: b.sl, triggerPrice: '102.5' }))).message).toMatch(/already crossed/)
    h.ticks.price('100.5')
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: b.sl } })
  })
})

