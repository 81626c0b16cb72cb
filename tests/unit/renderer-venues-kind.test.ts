import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer } from './renderer-keys-harness'
import { serverRenderSetup } from './renderer-server-render'
import type { VenueView } from '../../src-main/api/contract'

// The Markets page's venue list says what kind each venue is: a paper account trading on Binance's
// markets must not read like the Binance account itself (both used to show just "binance").

interface Modules {
  page: { MarketsPage: () => unknown }
  venues: { useVenues: { setState(s: { status: 'ready'; venues: VenueView[]; former: Record<string, string> }): void } }
}

const view = (id: string, label: string, kind: VenueView['kind'], exchange: string): VenueView => ({
  id,
  exchange,
  label,
  kind,
  accountId: null,
  connection: 'live',
  reason: null,
  marketCount: 3,
})
let m: Modules

let undo: () => void
beforeAll(async () => {
  undo = serverRenderSetup()
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = () => new Promise(() => undefined)
  api.subscribe = () => () => undefined
  m = {
    page: await loadRenderer('features/markets/MarketsPage.tsx'),
    venues: await loadRenderer('features/markets/venuesStore.ts'),
  }
})
afterAll(() => undo())

/** The Kind cell of each venue row, by venue id. */
function kinds(): Record<string, string> {
  const html = renderToStaticMarkup(createElement(m.page.MarketsPage as never))
  const out: Record<string, string> = {}
  for (const row of html.split('data-testid="venue-row"').slice(1)) {
    const id = /data-venue-id="([^"]+)"/.exec(row)?.[1] ?? '?'
    out[id] = /<td class="nowrap muted">([^<]*)<\/td>/.exec(row)?.[1] ?? ''
  }
  return out
}

describe('the venue list’s Kind column', () => {
  it('tells paper accounts from the exchange accounts whose markets they trade on', () => {
    m.venues.useVenues.setState({
      status: 'ready',
      former: {},
      venues: [
        view('sim', 'Simulated exchange', 'simulated', 'sim'),
        view('acc-1', 'Binance main', 'exchange', 'binance'),
        view('paper:1', 'Paper Sim', 'paper', 'sim'),
        view('paper:2', 'Rehearsal', 'paper', 'binance'),
      ],
    })
    expect(kinds()).toEqual({ sim: 'simulated', 'acc-1': 'binance', 'paper:1': 'paper · simulated', 'paper:2': 'paper · binance' })
  })
})
