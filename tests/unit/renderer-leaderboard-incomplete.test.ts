import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { LeaderboardRow } from '../../src-main/api/contract'

// A Leaderboard row for an account whose figures are incomplete: its row is not given a place ("?"),
// and its Value and P&L carry a ⚠ whose title and spoken label are the Portfolio page's warnings.

interface Modules {
  BoardRow: (props: { row: LeaderboardRow; currency: string; resolution: 'day'; selected: boolean }) => unknown
}
let m: Modules
beforeAll(async () => {
  stubDom('other')
  m = await loadRenderer('features/leaderboard/BoardRow.tsx')
})
afterAll(() => vi.unstubAllGlobals())

const row = (account: string, pnl: string, rank: number | null, warnings: LeaderboardRow['warnings']): LeaderboardRow => ({
  account,
  label: account,
  kind: 'own',
  rank,
  value: '20500',
  pnl,
  warnings,
  pnlPct: null,
  sharpe: null,
  maxDrawdownPct: null,
  returns: 0,
  trades: 0,
  unpricedTrades: 0,
  wins: 0,
  losses: 0,
  winRatePct: null,
  profitFactor: null,
  realized: '0',
  best: null,
  worst: null,
})

describe('the win rate cell', () => {
  it('its title says what the rate is of: wins over all closed trades, break-even ones included', () => {
    const r = { ...row('desk', '10', 1, []), trades: 3, wins: 1, losses: 1, winRatePct: 33.33 }
    const html = renderToStaticMarkup(createElement(m.BoardRow as never, { row: r, currency: 'USD', resolution: 'day', selected: false } as never))
    expect(html).toMatch(/<td class="num" data-testid="lb-winrate" title="1 win of 3 closed trades \(1 loss, 1 break-even\): a break-even trade counts as not a win\.">33\.33%<\/td>/)
  })
})

describe('leaderboard rows with incomplete figures', () => {
  it('shows ? for the rank and ⚠ with the warnings next to Value and P&L; whole rows show neither', () => {
    const sol = { kind: 'unpriced-asset' as const, asset: 'SOL', message: 'no price for SOL; its value and unrealized P&L are unknown' }
    const render = (r: LeaderboardRow) => renderToStaticMarkup(createElement(m.BoardRow as never, { row: r, currency: 'USD', resolution: 'day', selected: false } as never))
    const whole = render(row('binance', '500', 1, []))
    const partial = render(row('my-import', '0', null, [sol]))
    expect(whole).not.toContain('⚠')
    expect(whole).toMatch(/data-testid="lb-rank">1</)
    expect(partial).toMatch(/data-testid="lb-rank"><span title="Not ranked: [^"]*" aria-label="Not ranked: [^"]*" role="img">\?</)
    const text = 'Figures may be incomplete:\nSOL: no price for SOL; its value and unrealized P&amp;L are unknown'
    for (const id of ['lb-pnl-warning', 'lb-value-warning']) {
      const mark = partial.match(new RegExp(`<span[^>]*data-testid="${id}"[^>]*>`))?.[0] ?? ''
      expect(mark, id).toContain(`title="${text}"`)
      expect(mark, id).toContain(`aria-label="${text}"`)
    }
  })
})
