import { afterEach, describe, expect, it } from 'vitest'
import { closeRiskStores, riskHarness } from './risk-harness'

// A repeating risk alert re-arms only once its figure is back a tenth of a percent past the threshold (the
// drawdown: under 99.9 % of it), as price alerts do: a figure wobbling a cent around the threshold fires
// once, not on every other valuation, on every channel. Figures: value below 9,000 re-arms at 9,009 or
// over; drawdown 10 % re-arms at 9.99 % or under (high 10,000: value 9,001 or over).

afterEach(() => closeRiskStores())

describe('repeating risk alerts re-arm past a band', () => {
  it('a value sitting on the threshold fires once; back past the band it re-arms and fires again', async () => {
    const posted: string[] = []
    const h = riskHarness({ first: '10000', posted })
    const rule = await h.create({ metric: 'value', condition: 'below', threshold: '9000', repeat: true, webhookUrl: 'https://hooks.example.com/x' })
    for (let i = 0; i < 10; i++) h.push(i % 2 === 0 ? '8999.99' : '9000.01')
    expect(h.fired.map((e) => e.price)).toEqual(['8999.99'])
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ id: rule.id, armed: false, waiting: 'fires again after the figure is back at 9009 or over' })

    h.push('9008.99')
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]!.armed).toBe(false)
    h.push('9009')
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ armed: true, waiting: null })
    h.push('8999')
    expect(h.fired.map((e) => e.price)).toEqual(['8999.99', '8999'])
    h.engine.stop()
  })

  it('a drawdown wobbling around its threshold fires once and re-arms at 99.9 % of it', async () => {
    const h = riskHarness({ first: '10000' })
    await h.create({ metric: 'drawdown', condition: 'above', threshold: '10', repeat: true })
    for (let i = 0; i < 10; i++) h.push(i % 2 === 0 ? '8999.99' : '9000.01')
    expect(h.fired.map((e) => e.price)).toEqual(['10.00'])
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ armed: false, waiting: 'fires again after the drawdown is back at 9.99% or under' })
    h.push('9000.99')
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]!.armed).toBe(false)
    h.push('9001')
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]!.armed).toBe(true)
    h.push('9000')
    expect(h.fired.map((e) => e.price)).toEqual(['10.00', '10.00'])
    h.engine.stop()
  })

  it('a P&L threshold at zero re-arms a tenth of a percent of the portfolio value past it', async () => {
    const h = riskHarness({ first: '10000' })
    h.pushPnl('50')
    await h.create({ metric: 'pnl24h', condition: 'below', threshold: '0', repeat: true })
    h.pushPnl('-0.01')
    h.pushPnl('0.01')
    h.pushPnl('-0.01')
    expect(h.fired).toHaveLength(1)
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ armed: false, waiting: 'fires again after the figure is back at 10 or over' })
    h.pushPnl('10')
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]!.armed).toBe(true)
    h.engine.stop()
  })

  it('a P&L threshold away from zero re-arms within a tenth of it, not after the P&L swung across zero', async () => {
    // 0.1 % of a 2,000,000 portfolio is 2,000: below −500 would have re-armed only at +1,500.
    const h = riskHarness({ first: '2000000' })
    h.pushPnl('100')
    await h.create({ metric: 'pnl24h', condition: 'below', threshold: '-500', repeat: true })
    h.pushPnl('-501')
    expect(h.fired).toHaveLength(1)
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ armed: false, waiting: 'fires again after the figure is back at -450 or over' })
    h.pushPnl('-450')
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]!.armed).toBe(true)
    h.pushPnl('-600')
    expect(h.fired).toHaveLength(2)
    h.engine.stop()
  })
})
