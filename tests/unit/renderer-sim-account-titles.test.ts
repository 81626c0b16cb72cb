import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, venueView } from './renderer-keys-harness'
import { serverRenderSetup } from './renderer-server-render'
import type { BalancesView, VenueBalances, VenueView } from '../../src-main/api/contract'

// The simulated exchange's account is "Simulated exchange" everywhere, but its workspace panel, its reset
// dialog and the palette still said "Paper balance" / "Reset paper balance…": a trader with a paper account
// ("Paper · Binance (main)") read them as that account. They now name the simulated exchange as the engine
// lists it (venues.list, or its balances), and say nothing of "paper".

interface Modules {
  panel: { PaperBalancePanel: () => unknown }
  dialog: { PaperResetDialog: () => unknown }
  page: { BalancesPage: () => unknown }
  venues: { useVenues: { setState(s: { status: 'ready' | 'loading'; venues: VenueView[]; former: Record<string, string> }): void } }
  balances: { useBalances: { setState(s: { status: 'ready' | 'loading'; view: BalancesView | null; error: null }): void } }
  overlay: { useOverlay: { getState(): { show(id: string): void; hide(): void } } }
  actions: { registerFeatureActions(): () => void }
  registry: { getAction(id: string): { title: string } | undefined }
}

const SIM = 'Simulated exchange (test)' // whatever the engine calls it: the screen takes it from there
const simBalances = (label: string, balances: VenueBalances['balances']): VenueBalances => ({
  venueId: 'sim',
  label,
  kind: 'simulated',
  balances,
  value: balances.length > 0 ? '10000' : '0',
  error: null,
  updatedAt: 1,
})
const usdt = { asset: 'USDT', free: '10000', used: '0', total: '10000', value: '10000' } as VenueBalances['balances'][number]

let m: Modules
let undo: () => void
beforeAll(async () => {
  undo = serverRenderSetup()
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = () => new Promise(() => undefined)
  api.subscribe = () => () => undefined
  m = {
    panel: await loadRenderer('features/balances/PaperBalancePanel.tsx'),
    dialog: await loadRenderer('features/balances/PaperResetDialog.tsx'),
    page: await loadRenderer('features/balances/BalancesPage.tsx'),
    venues: await loadRenderer('features/markets/venuesStore.ts'),
    balances: await loadRenderer('features/balances/balancesStore.ts'),
    overlay: await loadRenderer('app/overlays.ts'),
    actions: await loadRenderer('app/feature-actions.ts'),
    registry: await loadRenderer('app/hotkeys/registry.ts'),
  }
  m.venues.useVenues.setState({ status: 'ready', former: {}, venues: [venueView('sim', SIM), venueView('paper:1', 'Paper · Binance (main)')] })
})
afterAll(() => undo())

const render = (c: () => unknown) => renderToStaticMarkup(createElement(c as never))
/** What the user reads: the markup's text, without its tags (test ids may say "paper"). */
const text = (html: string) => html.replace(/<[^>]*>/g, ' ')
const view = (venues: VenueBalances[]): BalancesView => ({ valuationAsset: 'USDT', venues, totalValue: '10000', totals: [], unvalued: [] }) as unknown as BalancesView

describe('the simulated exchange’s account is named as such, not "paper"', () => {
  it('the workspace panel is titled "<name> balance", empty or not', () => {
    m.balances.useBalances.setState({ status: 'ready', error: null, view: view([simBalances(SIM, [usdt])]) })
    const html = render(m.panel.PaperBalancePanel)
    expect(html).toContain(`${SIM} balance`)
    expect(text(html)).not.toMatch(/paper/i)
    m.balances.useBalances.setState({ status: 'ready', error: null, view: view([simBalances(SIM, [])]) })
    expect(render(m.panel.PaperBalancePanel)).toContain(`${SIM} holds nothing.`)
    m.balances.useBalances.setState({ status: 'ready', error: null, view: view([]) })
    const none = render(m.panel.PaperBalancePanel)
    expect(none).toContain(`No ${SIM} account.`)
    expect(text(none)).not.toMatch(/paper/i)
  })

  it('the reset dialog is "Reset <name> balance"', () => {
    m.overlay.useOverlay.getState().show('paper-reset')
    const html = render(m.dialog.PaperResetDialog)
    m.overlay.useOverlay.getState().hide()
    expect(html).toContain(`Reset ${SIM} balance</h2>`)
    expect(text(html)).not.toMatch(/paper/i)
  })

  it('the Balances page’s reset buttons name it', () => {
    m.balances.useBalances.setState({ status: 'ready', error: null, view: view([simBalances(SIM, [usdt])]) })
    const html = render(m.page.BalancesPage)
    expect(html).toContain(`Reset ${SIM} balance…`)
    expect(html).not.toContain('Reset paper')
  })

  it('the palette offers "Reset <name> balance…", and follows the name the engine gives', () => {
    const off = m.actions.registerFeatureActions()
    try {
      expect(m.registry.getAction('paper.reset')?.title).toBe(`Reset ${SIM} balance…`)
      m.venues.useVenues.setState({ status: 'ready', former: {}, venues: [venueView('sim', 'Sim exchange')] })
      expect(m.registry.getAction('paper.reset')?.title).toBe('Reset Sim exchange balance…')
    } finally {
      off()
      m.venues.useVenues.setState({ status: 'ready', former: {}, venues: [venueView('sim', SIM)] })
    }
  })
})
