import { describe, expect, it } from 'vitest'
import {
  chartPriceFormat,
  compareDecimal,
  decimalsOf,
  formatAtStep,
  formatAvgPrice,
  formatDecimal,
  formatPercent,
  formatValue,
  groupDigits,
  maxDecimals,
  roundDecimal,
  shiftBy,
  signOf,
  toStep,
} from '../../src-renderer/ui/decimal'

describe('formatDecimal', () => {
  it('groups thousands and keeps every significant digit', () => {
    expect(formatDecimal('1234567.891011')).toBe('1,234,567.891011')
    expect(formatDecimal('0.00000001')).toBe('0.00000001')
    expect(formatDecimal('-98765.4321')).toBe('-98,765.4321')
    expect(formatDecimal('1234', { group: false })).toBe('1234')
  })

  it('trims trailing zeros only beyond minDecimals, and pads up to it', () => {
    expect(formatDecimal('3398.800', { minDecimals: 2 })).toBe('3,398.80')
    expect(formatDecimal('3398.8', { minDecimals: 2 })).toBe('3,398.80')
    expect(formatDecimal('10000', { minDecimals: 2 })).toBe('10,000.00')
    expect(formatDecimal('10000.000')).toBe('10,000')
    expect(formatDecimal('0.00630369', { minDecimals: 2 })).toBe('0.00630369')
  })

  it('signs: plus on request, no sign on zero (also "-0.00")', () => {
    expect(formatDecimal('12.5', { plus: true })).toBe('+12.5')
    expect(formatDecimal('-12.5', { plus: true })).toBe('-12.5')
    expect(formatDecimal('-0.00', { minDecimals: 2, plus: true })).toBe('0.00')
    expect(formatDecimal('0', { plus: true })).toBe('0')
  })

  it('drops leading zeros of the integer part but keeps a single zero', () => {
    expect(formatDecimal('000123.4')).toBe('123.4')
    expect(formatDecimal('0000.5')).toBe('0.5')
  })

  it('returns anything that is not a plain decimal unchanged', () => {
    expect(formatDecimal('1e-8')).toBe('1e-8')
    expect(formatDecimal('abc')).toBe('abc')
    expect(formatDecimal('')).toBe('')
  })
})

describe('steps and percentages', () => {
  it('counts the decimals a step means', () => {
    expect(decimalsOf('0.01')).toBe(2)
    expect(decimalsOf('0.010')).toBe(2)
    expect(decimalsOf('0.00001')).toBe(5)
    expect(decimalsOf('1')).toBe(0)
    expect(decimalsOf('5')).toBe(0)
    expect(decimalsOf('junk')).toBe(0)
  })

  it('shows prices at their tick, never rounding a finer price away', () => {
    expect(formatAtStep('94965.9', '0.01')).toBe('94,965.90')
    expect(formatAtStep('0.0358', '0.00001')).toBe('0.03580')
    expect(formatAtStep('2.198400', '0.0001')).toBe('2.1984')
    // finer than the tick (should not happen, but if it does it is shown, not hidden)
    expect(formatAtStep('100.123', '0.01')).toBe('100.123')
  })

  it('writes percentages with a sign and at least two decimals', () => {
    expect(formatPercent('1.5')).toBe('+1.50%')
    expect(formatPercent('-0.04')).toBe('-0.04%')
    expect(formatPercent('0')).toBe('0.00%')
    expect(formatPercent('12.345')).toBe('+12.345%')
  })

  it('knows the sign of a decimal string', () => {
    expect(signOf('0.01')).toBe(1)
    expect(signOf('-0.01')).toBe(-1)
    expect(signOf('-0.00')).toBe(0)
    expect(signOf(null)).toBe(0)
    expect(signOf('x')).toBe(0)
  })

  it('finds the decimals a column needs', () => {
    expect(maxDecimals(['10000', '0.00630369', '4400.7232095', null])).toBe(8)
    expect(maxDecimals(['1.50', '2.0'])).toBe(1)
    expect(maxDecimals(['1.123456789'], 4)).toBe(4)
    expect(maxDecimals([])).toBe(0)
  })

  it('groups digit strings', () => {
    expect(groupDigits('1')).toBe('1')
    expect(groupDigits('1000')).toBe('1,000')
    expect(groupDigits('123456789')).toBe('123,456,789')
  })
})

describe('valuations', () => {
  it('rounds half away from zero on the digits, carrying as far as needed', () => {
    expect(roundDecimal('598.71924414', 2)).toBe('598.72')
    expect(roundDecimal('598.715', 2)).toBe('598.72')
    expect(roundDecimal('598.714999', 2)).toBe('598.71')
    expect(roundDecimal('999.995', 2)).toBe('1000.00')
    expect(roundDecimal('-0.005', 2)).toBe('-0.01')
    expect(roundDecimal('12', 2)).toBe('12.00')
    expect(roundDecimal('9.5', 0)).toBe('10')
    // beyond float precision: still exact
    expect(roundDecimal('123456789012345678.125', 2)).toBe('123456789012345678.13')
  })

  it('formats a value for the screen, or a dash when unknown', () => {
    expect(formatValue('10000')).toBe('10,000.00')
    expect(formatValue('598.71924414')).toBe('598.72')
    expect(formatValue(null)).toBe('—')
  })
})

describe('compareDecimal', () => {
  it('orders decimal strings exactly', () => {
    expect(compareDecimal('3399.01', '3399.00')).toBe(1)
    expect(compareDecimal('3399', '3399.000')).toBe(0)
    expect(compareDecimal('0.1', '0.09')).toBe(1)
    expect(compareDecimal('10', '9.999')).toBe(1)
    expect(compareDecimal('-1', '0')).toBe(-1)
    expect(compareDecimal('-2', '-1')).toBe(-1)
    expect(compareDecimal('-0.0', '0')).toBe(0)
    expect(compareDecimal('0.30000000000000004', '0.3')).toBe(1)
  })
})

describe('chartPriceFormat', () => {
  it('labels a chart scale as the rest of the screen: grouped, at the market tick’s decimals', () => {
    const btc = chartPriceFormat(2, 0.01)
    expect(btc).toMatchObject({ type: 'custom', minMove: 0.01 })
    expect(btc.formatter(95120)).toBe('95,120.00')
    expect(btc.formatter(95120.456)).toBe('95,120.46')
    expect(btc.formatter(-1234.5)).toBe('-1,234.50')
    expect(chartPriceFormat(5, 0.00001).formatter(0.0358)).toBe('0.03580')
    expect(chartPriceFormat(0, 1).formatter(1234567)).toBe('1,234,567')
  })
})

describe('toStep', () => {
  it('moves a decimal to a multiple of the step, down or up, exactly', () => {
    expect(toStep('94048.9902', '0.01', 'down')).toBe('94048.99')
    expect(toStep('94048.9902', '0.01', 'up')).toBe('94049.00')
    expect(toStep('94048.99', '0.01', 'up')).toBe('94048.99')
    expect(toStep('2.20475', '0.0001', 'down')).toBe('2.2047')
    expect(toStep('101.3', '0.5', 'down')).toBe('101.0')
    expect(toStep('101.3', '0.5', 'up')).toBe('101.5')
    expect(toStep('0.000123', '0.00001', 'up')).toBe('0.00013')
    expect(toStep('17', '5', 'down')).toBe('15')
    // Beyond a double's precision: still exact.
    expect(toStep('123456789012345.678901', '0.000001', 'down')).toBe('123456789012345.678901')
    expect(toStep('x', '0.01', 'down')).toBeNull()
    expect(toStep('1', '0', 'down')).toBeNull()
    expect(toStep('-1', '0.01', 'down')).toBeNull()
  })
})

describe('shiftBy', () => {
  it('moves a value by as much as another moved, exactly', () => {
    expect(shiftBy('93950.00', '94000.00', '94120.50')).toBe('94070.50')
    expect(shiftBy('93950', '94000', '93900.25')).toBe('93850.25')
    expect(shiftBy('0.1', '0.2', '0.3')).toBe('0.2')
    expect(shiftBy('0.20', '1.00', '0.80')).toBe('0.00')
    expect(shiftBy('0.20', '1.00', '0.70')).toBe('-0.10')
    expect(shiftBy('x', '1', '2')).toBeNull()
  })
})

describe('formatAvgPrice (order history’s Avg fill)', () => {
  it('the exact 12-decimal quotient shown at the tick’s decimals plus two, rounded', () => {
    // 0.003 BTC filled at 95,000.10, 95,000.20 and 95,000.21: cost / filled = 95,000.17 exactly is short;
    // a repeating one is cut by the engine at 12 decimals.
    expect(formatAvgPrice('95000.173333333333', '0.01')).toBe('95,000.1733')
    expect(formatAvgPrice('95000.176666666667', '0.01')).toBe('95,000.1767')
    expect(formatAvgPrice('95000.5', '0.01')).toBe('95,000.50')
    expect(formatAvgPrice('0.000012345678901', '0.00000001')).toBe('0.0000123457')
  })

  it('without the market’s tick: 8 decimals at most', () => {
    expect(formatAvgPrice('1.123456789012', null)).toBe('1.12345679')
    expect(formatAvgPrice('100', null)).toBe('100')
  })
})
