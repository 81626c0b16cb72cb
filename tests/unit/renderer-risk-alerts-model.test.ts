import { describe, expect, it } from 'vitest'
import { currentWords, riskCondition, thresholdWords } from '../../src-renderer/features/alerts/riskModel'
import { applyAlert } from '../../src-renderer/features/alerts/alertsModel'
import type { RiskAlertView } from '../../src-main/api/contract'

// The Alerts page's risk alert words and lists: what each alert says, and where a changed one goes.

const view = (id: string, over: Partial<RiskAlertView> = {}): RiskAlertView => ({
  id,
  metric: 'value',
  account: null,
  accountLabel: 'My accounts',
  currency: 'USD',
  condition: 'below',
  threshold: '9000',
  note: null,
  desktop: true,
  webhookUrl: null,
  email: false,
  status: 'active',
  repeat: false,
  armed: true,
  fireCount: 0,
  reason: null,
  current: '9500.5',
  peak: null,
  waiting: null,
  createdAt: 1,
  updatedAt: 1,
  ...over,
})

describe('risk alert words', () => {
  it('says the threshold and the figure with their units', () => {
    expect(thresholdWords(view('a'), '9,000')).toBe('falls to 9,000 USD')
    expect(thresholdWords(view('a', { condition: 'above', currency: 'EUR' }), '500')).toBe('rises to 500 EUR')
    expect(thresholdWords(view('a', { metric: 'drawdown', condition: 'above' }), '10')).toBe('reaches 10 %')
    expect(currentWords(view('a'), (s) => `<${s}>`)).toBe('<9500.5> USD')
    expect(currentWords(view('a', { metric: 'drawdown', current: '3.25' }), (s) => s)).toBe('3.25 %')
    expect(currentWords(view('a', { current: null }), (s) => s)).toBe('—')
  })

  it('sends "above" for a drawdown whatever the form held', () => {
    expect(riskCondition('drawdown', 'below')).toBe('above')
    expect(riskCondition('value', 'below')).toBe('below')
    expect(riskCondition('pnl24h', 'above')).toBe('above')
  })
})

describe('applyAlert on risk alerts', () => {
  it('keeps active ones newest first, replaces a changed one, and moves an ended one to the ended list', () => {
    let s: { active: RiskAlertView[]; ended: RiskAlertView[] } = { active: [], ended: [] }
    s = applyAlert(s, view('a', { createdAt: 1 }))
    s = applyAlert(s, view('b', { createdAt: 2 }))
    expect(s.active.map((a) => a.id)).toEqual(['b', 'a'])
    s = applyAlert(s, view('a', { createdAt: 1, current: '8000' }))
    expect(s.active.map((a) => [a.id, a.current])).toEqual([
      ['b', '9500.5'],
      ['a', '8000'],
    ])
    s = applyAlert(s, view('a', { createdAt: 1, status: 'fired', fireCount: 1 }))
    expect(s.active.map((a) => a.id)).toEqual(['b'])
    expect(s.ended.map((a) => [a.id, a.status])).toEqual([['a', 'fired']])
  })
})
