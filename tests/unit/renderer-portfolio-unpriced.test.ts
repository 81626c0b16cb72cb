import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { AssetPnlView } from '../../src-main/api/schemas/portfolio'

// The Positions table grouped per asset (G): an asset priced in one account and not in another shows the
// priced part's value and how much of it has no price, so the row agrees with the totals.

interface Modules {
  figures: { PartialValue: (props: { value: string | null; unpriced: string | undefined; asset: string; unit?: string; testId?: string }) => unknown }
  model: { assetRows: (view: { assets: AssetPnlView[] }) => { asset: string; value: string | null; unpricedAmount?: string }[] }
}
let m: Modules
beforeAll(async () => {
  stubDom('other')
  m = { figures: await loadRenderer('features/portfolio/Figures.tsx'), model: await loadRenderer('features/portfolio/portfolioModel.ts') }
})
afterAll(() => vi.unstubAllGlobals())

const sol: AssetPnlView = {
  asset: 'SOL',
  accounts: 2,
  amount: '15',
  unpricedAmount: '10',
  costBasis: '0',
  averageCost: '0',
  price: '150',
  value: '750',
  unrealized: '750',
  realized: '0',
  realizedInPeriod: '0',
  changePct: null,
  missingCostBasis: '0',
}
const render = (props: Parameters<Modules['figures']['PartialValue']>[0]) => renderToStaticMarkup(createElement(m.figures.PartialValue as never, props as never)).replace(/<[^>]+>/g, '')

describe('an asset row partly unpriced', () => {
  it('keeps the unpriced amount on the per-asset row', () => {
    expect(m.model.assetRows({ assets: [sol] })[0]).toMatchObject({ asset: 'SOL', value: '750', unpricedAmount: '10' })
  })

  it('shows the priced value and the amount without a price', () => {
    expect(render({ value: '750', unpriced: '10', asset: 'SOL', unit: 'USD' })).toBe('750.00 + 10 unpriced')
  })

  it('shows just the value when all of it is priced, and a dash when none is', () => {
    expect(render({ value: '96000', unpriced: '0', asset: 'BTC' })).toBe('96,000.00')
    expect(render({ value: '96000', unpriced: undefined, asset: 'BTC' })).toBe('96,000.00')
    expect(render({ value: null, unpriced: '10', asset: 'SOL' })).toBe('—')
  })
})
