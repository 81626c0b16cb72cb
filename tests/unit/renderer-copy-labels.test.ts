import { describe, expect, it } from 'vitest'
import { followStatusLabel, latencySplit, latencyText, moneyFields, recordStatusLabel, simTraderOf, sizingText, skipRuleLabels } from '../../src-renderer/features/copy/copyLabels'
import { VALUATION_ASSET } from '../../src-main/venues/valuation'
import { skipRules } from '../../src-main/api/schemas/copy'

describe('copy labels', () => {
  it('names every skip rule the engine can report', () => {
    for (const rule of skipRules) expect(skipRuleLabels[rule], rule).toMatch(/\w/)
  })

  it('gives statuses a tone: skipped warns, failed is an error, copied is fine', () => {
    expect(recordStatusLabel('skipped').tone).toBe('warn')
    expect(recordStatusLabel('failed').tone).toBe('err')
    expect(recordStatusLabel('copied').tone).toBe('ok')
    expect(followStatusLabel('stopped-daily').text).toBe('stopped today')
  })

  it('describes sizing with the engine’s decimals, never through a float', () => {
    expect(sizingText({ mode: 'fixed-quote', value: '1000.10' })).toBe(`1,000.1 ${VALUATION_ASSET} per trade`)
    expect(sizingText({ mode: 'multiplier', value: '0.30000000000000001' })).toBe('× 0.30000000000000001')
    expect(sizingText({ mode: 'proportional' })).toBe('proportional')
  })

  it('labels every money setting in the currency the engine reads it in, whatever the follower market’s quote', () => {
    expect(Object.keys(moneyFields).sort()).toEqual(['dailyLossStop', 'fixedQuote', 'maxTradeQuote', 'minTradeQuote', 'totalStopLoss'])
    for (const [field, f] of Object.entries(moneyFields)) {
      expect(f.unit, field).toBe(VALUATION_ASSET)
      expect(f.hint, field).toContain(`valued in ${VALUATION_ASSET} whatever the market’s quote`)
      expect(`${f.label} ${f.hint}`, field).not.toMatch(/\bquote (per|amount)|in the follower market’s quote/)
    }
  })

  it('shows the latency split, with a dash for a stage not reached', () => {
    expect(latencyText(3.25)).toBe('3.3')
    expect(latencyText(41.6)).toBe('42')
    expect(latencySplit({ detectedMs: 1.2, decidedMs: 2, submittedMs: null })).toBe('1.2 / 2.0 / —')
  })

  it('links a simulated trader leader to the Traders page id', () => {
    expect(simTraderOf('sim:trader:momentum')).toBe('trader:momentum')
    expect(simTraderOf('acct-1')).toBeNull()
  })
})
