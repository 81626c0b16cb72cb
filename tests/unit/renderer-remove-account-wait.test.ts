import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import React, { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { AccountView } from '../../src-main/api/contract'

// The account removal dialog as it first draws, before the engine has counted what stops with the
// account: Remove is not yet offered (nor Enter), and the dialog says it is counting.

interface Store<S> {
  setState(s: S): void
}

interface Modules {
  dialog: { RemoveAccountDialog: () => unknown }
  overlays: { useOverlay: Store<{ open: string }> }
  accounts: { useAccounts: Store<{ accounts: AccountView[]; removeId: string }> }
}


const account = {
  id: 'a1',
  exchange: 'binance',
  exchangeName: 'Binance',
  label: 'Binance main',
  keyHint: '••••1234',
} as unknown as AccountView
let m: Modules

// A server render reads the stores' initial state; here it reads the state the test set.
const useSyncExternalStore = React.useSyncExternalStore
beforeAll(async () => {
  React.useSyncExternalStore = (subscribe, get) => useSyncExternalStore(subscribe, get, get)
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  // The impact never arrives during the test: the dialog is seen while it is still being counted.
  api.invoke = () => new Promise(() => undefined)
  api.subscribe = () => () => undefined
  m = {
    dialog: await loadRenderer('features/accounts/RemoveAccountDialog.tsx'),
    overlays: await loadRenderer('app/overlays.ts'),
    accounts: await loadRenderer('features/accounts/accountsStore.ts'),
  }
})
afterAll(() => {
  React.useSyncExternalStore = useSyncExternalStore
  vi.unstubAllGlobals()
})

describe('the account removal dialog before the impact is counted', () => {
  it('offers no Remove yet and says it is counting', () => {
    m.overlays.useOverlay.setState({ open: 'account-remove' })
    m.accounts.useAccounts.setState({ accounts: [account], removeId: 'a1' })
    const html = renderToStaticMarkup(createElement(m.dialog.RemoveAccountDialog as never))
    expect(html).toContain('Binance main')
    expect(html).toContain('Counting what stops with it…')
    const remove = /<button[^>]*data-testid="account-remove-confirm"[^>]*>/.exec(html)?.[0]
    expect(remove).toBeDefined()
    expect(remove).toMatch(/\sdisabled=""/)
  })
})
