import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer } from './renderer-keys-harness'
import { serverRenderSetup } from './renderer-server-render'
import type { BalancesView, VenueBalances } from '../../src-main/api/contract'

// The Balances page says which accounts hold practice money: the simulated exchange and every paper
// account (on the simulator or on a real exchange's markets) read "paper"; only exchange accounts read
// "exchange".

interface Modules {
  page: { BalancesPage: () => unknown }
  store: { useBalances: { setState(s: { status: 'ready'; error: null; view: BalancesView }): void } }
}

const venue = (venueId: string, label: string, kind: VenueBalances['kind']): VenueBalances => ({
  venueId,
  label,
  kind,
  balances: [{ asset: 'USDT', free: '100', used: '0', total: '100', value: '100' }],
  value: '100',
  error: null,
  updatedAt: Date.now(),
})
let m: Modules

let undo: () => void
beforeAll(async () => {
  undo = serverRenderSetup()
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = () => new Promise(() => undefined)
  api.subscribe = () => () => undefined
  m = {
    page: await loadRenderer('features/balances/BalancesPage.tsx'),
    store: await loadRenderer('features/balances/balancesStore.ts'),
  }
})
afterAll(() => undo())

/** Each venue's badge text and class, by venue id. */
function badges(): Record<string, { text: string; accent: boolean }> {
  const html = renderToStaticMarkup(createElement(m.page.BalancesPage as never))
  const out: Record<string, { text: string; accent: boolean }> = {}
  for (const section of html.split('<section class="venue-balances"').slice(1)) {
    const id = /data-venue-id="([^"]+)"/.exec(section)?.[1] ?? '?'
    const badge = /<span class="badge ([^"]*)">([^<]*)<\/span>/.exec(section)
    out[id] = { text: badge?.[2] ?? '', accent: badge?.[1]?.includes('badge-accent') ?? false }
  }
  return out
}

describe('the Balances page’s account badge', () => {
  it('reads "paper" for the simulated exchange and for paper accounts, "exchange" only for exchange accounts', () => {
    const venues = [venue('sim', 'Simulated exchange', 'simulated'), venue('paper:1', 'Paper Sim', 'paper'), venue('acc-1', 'Binance main', 'exchange')]
    m.store.useBalances.setState({ status: 'ready', error: null, view: { valuationAsset: 'USDT', venues, totals: [], totalValue: '300', unvalued: [] } })
    expect(badges()).toEqual({
      sim: { text: 'paper', accent: true },
      'paper:1': { text: 'paper', accent: true },
      'acc-1': { text: 'exchange', accent: false },
    })
  })
})

describe('the Balances page’s “updated” note', () => {
  it('says when the prices were read when they were kept from an earlier read', () => {
    const now = Date.now()
    const kept = { ...venue('paper:2', 'Rehearsal', 'paper'), updatedAt: now, pricesAt: now - 8_000 }
    const live = { ...venue('sim', 'Simulated exchange', 'simulated'), updatedAt: now }
    m.store.useBalances.setState({ status: 'ready', error: null, view: { valuationAsset: 'USDT', venues: [live, kept], totals: [], totalValue: '200', unvalued: [] } })
    const html = renderToStaticMarkup(createElement(m.page.BalancesPage as never))
    const notes = [...html.matchAll(/data-testid="venue-updated">([^<]*(?:<!-- -->[^<]*)*)</g)].map((x) => x[1]!.replace(/<!-- -->/g, ''))
    expect(notes[0]).toBe('updated now')
    expect(notes[1]).toMatch(/^updated now · prices as of \d{1,2}:\d{2}:\d{2}( [AP]M)?$/)
  })
})
