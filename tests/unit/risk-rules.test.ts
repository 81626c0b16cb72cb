import { describe, expect, it } from 'vitest'
import { readRisk, riskReached } from '../../src-main/alerts/risk-rules'

// The drawdown a risk alert watches, reading after reading: money moved in or out scales the high as it
// scales the value, so neither a withdrawal nor a deposit changes the drawdown (hand figures).

const view = (value: string, netDeposits: string) => ({ totals: { value, netDeposits } }) as never

describe('drawdown from the high', () => {
  it('a withdrawal while down is no further drawdown, a deposit hides none', () => {
    let r = readRisk(view('1000', '1000'), 'drawdown', null)
    expect([r.high, r.shown]).toEqual(['1000', '0.00'])
    r = readRisk(view('800', '1000'), 'drawdown', r.peak) // a loss: 20 %
    expect([r.high, r.shown]).toEqual(['1000', '20.00'])
    // 700 taken out: 100 left of 800, so the high is 125 of 1000 — still 20 % (not (400 − 100) / 400 = 75 %).
    const out = readRisk(view('100', '300'), 'drawdown', r.peak)
    expect([out.high, out.shown]).toEqual(['125', '20.00'])
    expect(riskReached({ metric: 'drawdown', condition: 'above', threshold: '50' }, out)).toBe(false)
    // 1000 put in instead: 1800 of 2250 — still 20 % (not (2000 − 1800) / 2000 = 10 %).
    const added = readRisk(view('1800', '2000'), 'drawdown', r.peak)
    expect([added.high, added.shown]).toEqual(['2250', '20.00'])
    // With no drawdown, money out moves the high with the value: nothing to report.
    const flat = readRisk(view('800', '800'), 'drawdown', readRisk(view('1000', '1000'), 'drawdown', null).peak)
    expect([flat.high, flat.shown]).toEqual(['800', '0.00'])
  })

  it('a new high is the value; a high stored before (value less deposits) is read as of now', () => {
    expect(readRisk(view('1200', '1000'), 'drawdown', '1000|1000')).toMatchObject({ high: '1200', shown: '0.00', peak: '1200|1000' })
    // Older rows kept "value less net deposits": 0 with 1000 deposited is a high of 1000.
    expect(readRisk(view('800', '1000'), 'drawdown', '0')).toMatchObject({ high: '1000', shown: '20.00' })
  })
})
