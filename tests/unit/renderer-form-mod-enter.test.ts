import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { keydown, loadRenderer, stubDom, type FakeDom, type KeyEvent } from './renderer-keys-harness'
import type { Action } from '../../src-renderer/app/hotkeys/registry'

// Mod+Enter submits the form it is pressed in (see renderer-trading-submit-key.test.ts). The account, key
// store, lock, sync, import and paper-reset forms did not take it: the key did nothing there. Each must now
// submit as its Save button would, and do nothing while that button is disabled.

// A server render keeps no handlers: each element's props are recorded as it is drawn, by its test id and id, so
// a test can press keys on a form (and type in a field) as the browser would hand them to its handlers.
const drawn = vi.hoisted(() => new Map<string, Record<string, unknown>>())
const recordProps = async (runtime: string) => {
  const real = await vi.importActual<Record<string, (type: unknown, props: Record<string, unknown>, ...rest: unknown[]) => unknown>>(runtime)
  const wrap = (create: (type: unknown, props: Record<string, unknown>, ...rest: unknown[]) => unknown) =>
    (type: unknown, props: Record<string, unknown>, ...rest: unknown[]) => {
      if (typeof type === 'string') for (const key of [props['data-testid'], props.id]) if (typeof key === 'string') drawn.set(key, props)
      return create(type, props, ...rest)
    }
  return { ...real, ...(real.jsx ? { jsx: wrap(real.jsx), jsxs: wrap(real.jsxs!) } : {}), ...(real.jsxDEV ? { jsxDEV: wrap(real.jsxDEV) } : {}) }
}
vi.mock('react/jsx-runtime', () => recordProps('react/jsx-runtime'))
vi.mock('react/jsx-dev-runtime', () => recordProps('react/jsx-dev-runtime'))

// A server render forgets what was typed. useState keeps its values here instead, by call order (as React
// does), so a field's onChange followed by a new render draws the form with what was typed.
const hooks = vi.hoisted(() => ({ memory: [] as unknown[], next: 0 }))
vi.mock('react', async () => {
  const real = await vi.importActual<typeof import('react')>('react')
  const useState = (init: unknown) => {
    const i = hooks.next++
    if (!(i in hooks.memory)) hooks.memory[i] = typeof init === 'function' ? (init as () => unknown)() : init
    const set = (v: unknown) => void (hooks.memory[i] = typeof v === 'function' ? (v as (p: unknown) => unknown)(hooks.memory[i]) : v)
    return [hooks.memory[i], set]
  }
  return { ...real, default: { ...real, useState }, useState }
})

// A server render reads a zustand store's initial state, not what a test set: its hooks read the store's
// state as it is now instead (a render here is never live, so there is nothing to subscribe to).
vi.mock('zustand', async () => {
  const real = await vi.importActual<typeof import('zustand')>('zustand')
  type Hook = ((select?: (s: unknown) => unknown) => unknown) & { getState(): unknown }
  const realCreate = real.create as unknown as (init: unknown) => Hook
  const now = (store: Hook) => Object.assign((select = (s: unknown) => s) => select(store.getState()), store)
  // create(init) and create<T>()(init), as the stores call it.
  const create = (init?: unknown) => (init ? now(realCreate(init)) : (later: unknown) => now(realCreate(later)))
  return { ...real, create }
})

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: KeyEvent): boolean
}
type Store<S> = { getState(): S; setState(s: Partial<S>): void }

let dom: FakeDom
let calls: { name: string; args: unknown }[]
let dispatchKey: (e: KeyEvent) => boolean
let answers: Record<string, unknown>

beforeAll(async () => {
  dom = stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string, args: unknown) => {
    calls.push({ name, args })
    if (name === 'orders.submit') return { clientOrderId: 'c1', venueId: 'sim', symbol: 'BTC/USDT', status: 'open' }
    return answers[name] ?? null
  }
  const { tradingActions } = await loadRenderer<{ tradingActions: () => Action[] }>('features/trading/tradingActions.ts')
  const registry = await import('../../src-renderer/app/hotkeys/registry')
  const dispatcher = await loadRenderer<Dispatcher>('app/hotkeys/dispatcher.ts')
  const { useTicketMarket } = await loadRenderer<{ useTicketMarket: Store<{ setMarket(v: string, s: string): void; price: string }> }>(
    'features/trading/ticketMarket.ts',
  )
  const { useTicket } = await loadRenderer<{ useTicket: Store<{ mounted: number; set(p: object): void }> }>('features/trading/ticketStore.ts')
  // A ticket on screen, filled in: Mod+Enter from it would send a buy of 0.001 BTC at 100.
  useTicketMarket.getState().setMarket('sim', 'BTC/USDT')
  useTicketMarket.setState({ price: '100' })
  useTicket.getState().set({ size: '0.001' })
  useTicket.setState({ mounted: 1 })
  for (const action of tradingActions()) registry.registerAction(action)
  dispatcher.installHotkeys()
  dispatchKey = dispatcher.dispatchKey
})
beforeEach(() => {
  calls = []
  answers = {}
  hooks.memory = []
  drawn.clear()
})

const settle = () => new Promise((r) => setTimeout(r, 10))
const ctrl = { ctrlKey: true }
const called = (name: string) => calls.filter((c) => c.name === name)

/** Draws the element (again: what was typed stays), returning its markup. */
const draw = (element: Parameters<typeof renderToStaticMarkup>[0]) => {
  hooks.next = 0
  return renderToStaticMarkup(element)
}

/** Types into the drawn field with this test id, as its onChange would get it. */
const type = (testId: string, value: string) => {
  const field = drawn.get(testId)
  expect(field, `${testId} drawn`).toBeDefined()
  ;(field!.onChange as (e: object) => void)({ target: { value, checked: false } })
}

/**
 * Presses Ctrl+Enter on a control of the drawn form: the form's onKeyDown gets it (as React runs it
 * before the window's listener); a requestSubmit runs the form's onSubmit, as the browser does.
 */
const pressIn = async (formId: string, on: 'text' | 'button' | 'textarea' = 'text') => {
  const form = drawn.get(formId)
  expect(form, `${formId} drawn`).toBeDefined()
  const control = dom.controlInForm(on, { 'data-testid': formId })
  dom.focus(control)
  const press = keydown('Enter', control, ctrl)
  const onKeyDown = form!.onKeyDown as ((e: object) => void) | undefined
  const onSubmit = form!.onSubmit as (e: object) => unknown
  onKeyDown?.({ ...press.event, currentTarget: { requestSubmit: () => void onSubmit({ preventDefault() {} }) } })
  // Whatever the form did, the ticket leaves a key pressed in another form alone.
  expect(dispatchKey(press.event)).toBe(false)
  await settle()
  expect(called('orders.submit')).toEqual([])
  return press
}

describe('Ctrl+Enter in the account forms', () => {
  const exchanges = [{ id: 'binance', name: 'Binance', sandbox: true, needsPassword: false, defaultApiOrigin: 'https://api.binance.com', apiKeyFormat: '', secretFormat: '' }]

  it('in the new account’s Label field adds the account, as Add account does', async () => {
    const { useAccounts } = await loadRenderer<{ useAccounts: Store<object> }>('features/accounts/accountsStore.ts')
    useAccounts.setState({ exchanges, accounts: [], secrets: null })
    const { AccountForm } = await loadRenderer<{ AccountForm: (p: object) => unknown }>('features/accounts/AccountForm.tsx')
    draw(createElement(AccountForm as never, { account: null }))
    type('account-field-label', 'Main') // the Label field's id
    draw(createElement(AccountForm as never, { account: null }))
    const press = await pressIn('account-form')
    expect(called('accounts.add')).toHaveLength(1)
    expect(called('accounts.add')[0]!.args).toMatchObject({ label: 'Main' })
    expect(press.prevented()).toBe(true)
  })

  it('on the account form’s Save button saves it; Escape still closes the form', async () => {
    const { useAccounts } = await loadRenderer<{ useAccounts: Store<{ editor?: unknown; [k: string]: unknown }> }>('features/accounts/accountsStore.ts')
    const { AccountForm } = await loadRenderer<{ AccountForm: (p: object) => unknown }>('features/accounts/AccountForm.tsx')
    const account = { id: 'a1', exchange: 'binance', exchangeName: 'Binance', label: 'Main', sandbox: false, apiBaseUrl: null, keyHint: '…abcd' }
    useAccounts.setState({ exchanges, accounts: [account], secrets: null, editor: { account: 'a1' } })
    draw(createElement(AccountForm as never, { account }))
    await pressIn('account-form', 'button')
    expect(called('accounts.update')).toHaveLength(1)
    const escape = keydown('Escape', dom.controlInForm('text', { 'data-testid': 'account-form' }))
    ;(drawn.get('account-form')!.onKeyDown as (e: object) => void)(escape.event)
    expect(escape.prevented()).toBe(true)
    expect(useAccounts.getState().editor).toBe(null)
  })

  it('in the account form while it saves (Save disabled) sends nothing more', async () => {
    const { useAccounts } = await loadRenderer<{ useAccounts: Store<object> }>('features/accounts/accountsStore.ts')
    useAccounts.setState({ exchanges, accounts: [], secrets: null })
    const { AccountForm } = await loadRenderer<{ AccountForm: (p: object) => unknown }>('features/accounts/AccountForm.tsx')
    answers['accounts.add'] = new Promise(() => {}) // the engine still working
    draw(createElement(AccountForm as never, { account: null }))
    await pressIn('account-form')
    expect(draw(createElement(AccountForm as never, { account: null }))).toContain('Saving…')
    await pressIn('account-form')
    expect(called('accounts.add')).toHaveLength(1)
  })

  it('in the key store’s passphrase field unlocks it; a textarea would keep the key', async () => {
    const { useAccounts } = await loadRenderer<{ useAccounts: Store<object> }>('features/accounts/accountsStore.ts')
    useAccounts.setState({ secrets: { mode: 'passphrase', locked: true, detail: 'Locked', reason: null, canUsePassphrase: true } })
    const { SecretsPanel } = await loadRenderer<{ SecretsPanel: () => unknown }>('features/accounts/SecretsPanel.tsx')
    draw(createElement(SecretsPanel as never))
    await pressIn('secrets-unlock-form', 'textarea')
    expect(called('secrets.unlock')).toEqual([])
    const press = await pressIn('secrets-unlock-form')
    expect(called('secrets.unlock')).toHaveLength(1)
    expect(press.prevented()).toBe(true)
  })

  it('in the choose-a-passphrase form sets the passphrase', async () => {
    const { useAccounts } = await loadRenderer<{ useAccounts: Store<object> }>('features/accounts/accountsStore.ts')
    useAccounts.setState({ secrets: { mode: 'unavailable', locked: true, detail: '', reason: 'No keychain', canUsePassphrase: true } })
    const { SecretsPanel } = await loadRenderer<{ SecretsPanel: () => unknown }>('features/accounts/SecretsPanel.tsx')
    draw(createElement(SecretsPanel as never))
    await pressIn('secrets-choose-form', 'button')
    expect(called('secrets.usePassphrase')).toHaveLength(1)
  })
})

describe('Ctrl+Enter in the lock forms', () => {
  type LockStore = Store<{ status: unknown; busy: boolean; error: string | null }>
  const lockStore = async (state: Partial<{ status: unknown; busy: boolean }>) => {
    const { useLock } = await loadRenderer<{ useLock: LockStore }>('features/lock/lockStore.ts')
    useLock.setState({ busy: false, error: null, ...state })
  }

  it('in Settings → Security sets the passphrase typed twice, as Set passphrase does', async () => {
    await lockStore({ status: { enabled: false, locked: false, idleMinutes: 0, retryAt: null } })
    const { LockSettings } = await loadRenderer<{ LockSettings: () => unknown }>('features/lock/LockSettings.tsx')
    draw(createElement(LockSettings as never))
    type('lock-next', 'correct horse')
    type('lock-again', 'correct horse')
    draw(createElement(LockSettings as never))
    const press = await pressIn('lock-settings')
    expect(called('lock.setPassphrase').map((c) => c.args)).toEqual([{ next: 'correct horse' }])
    expect(press.prevented()).toBe(true)
  })

  it('in Settings → Security with no new passphrase typed (Set passphrase disabled) sends nothing', async () => {
    await lockStore({ status: { enabled: true, locked: false, idleMinutes: 0, retryAt: null } })
    const { LockSettings } = await loadRenderer<{ LockSettings: () => unknown }>('features/lock/LockSettings.tsx')
    draw(createElement(LockSettings as never))
    type('lock-current', 'old one')
    draw(createElement(LockSettings as never))
    await pressIn('lock-settings')
    expect(called('lock.setPassphrase')).toEqual([])
  })

  it('in Settings → Security while a change is under way (Save disabled) sends nothing more', async () => {
    await lockStore({ status: { enabled: false, locked: false, idleMinutes: 0, retryAt: null } })
    answers['lock.setPassphrase'] = new Promise(() => {})
    const { LockSettings } = await loadRenderer<{ LockSettings: () => unknown }>('features/lock/LockSettings.tsx')
    draw(createElement(LockSettings as never))
    type('lock-next', 'correct horse')
    type('lock-again', 'correct horse')
    draw(createElement(LockSettings as never))
    await pressIn('lock-settings', 'button')
    draw(createElement(LockSettings as never))
    await pressIn('lock-settings', 'button')
    expect(called('lock.setPassphrase')).toHaveLength(1)
  })

  it('on the lock screen unlocks with the typed passphrase; with none typed (Unlock disabled) sends nothing', async () => {
    await lockStore({ status: { enabled: true, locked: true, idleMinutes: 0, retryAt: null } })
    const { LockScreen } = await loadRenderer<{ LockScreen: () => unknown }>('features/lock/LockScreen.tsx')
    draw(createElement(LockScreen as never))
    await pressIn('lock-form')
    expect(called('lock.unlock')).toEqual([])
    type('lock-passphrase', 'correct horse')
    draw(createElement(LockScreen as never))
    const press = await pressIn('lock-form')
    expect(called('lock.unlock').map((c) => c.args)).toEqual([{ passphrase: 'correct horse' }])
    expect(press.prevented()).toBe(true)
  })

  it('on the lock screen while a try is being checked (Unlock disabled) sends nothing', async () => {
    await lockStore({ status: { enabled: true, locked: true, idleMinutes: 0, retryAt: null }, busy: true })
    const { LockScreen } = await loadRenderer<{ LockScreen: () => unknown }>('features/lock/LockScreen.tsx')
    draw(createElement(LockScreen as never))
    type('lock-passphrase', 'correct horse')
    draw(createElement(LockScreen as never))
    await pressIn('lock-form')
    expect(called('lock.unlock')).toEqual([])
  })
})

describe('Ctrl+Enter in the portfolio dialogs', () => {
  const syncDialog = async () => {
    const mod = await loadRenderer<{ SyncStartDialog: () => unknown; openSyncStart(a: object): void }>('features/portfolio/SyncStartDialog.tsx')
    mod.openSyncStart({ id: 'acc1', label: 'Binance main', historyStart: null })
    return () => draw(createElement(mod.SyncStartDialog as never))
  }

  it('in the sync’s History from field starts the sync from that day, as Start sync does', async () => {
    const drawSync = await syncDialog()
    drawSync()
    type('portfolio-sync-from', '2021-03-01')
    drawSync()
    const press = await pressIn('portfolio-sync-form')
    expect(called('portfolio.sync').map((c) => c.args)).toEqual([{ account: 'acc1', since: Date.UTC(2021, 2, 1) }])
    expect(press.prevented()).toBe(true)
  })

  it('in the sync dialog checks the day first, as Start sync does: one before 2009 is refused, nothing starts', async () => {
    const drawSync = await syncDialog()
    drawSync()
    type('portfolio-sync-from', '2001-01-01')
    drawSync()
    await pressIn('portfolio-sync-form')
    expect(called('portfolio.sync')).toEqual([])
    expect(drawSync()).toContain('Choose a day from 2009-01-03 on')
  })

  it('in the sync dialog while the sync is starting (Start sync disabled) starts nothing more', async () => {
    answers['portfolio.sync'] = new Promise(() => {})
    const drawSync = await syncDialog()
    drawSync()
    await pressIn('portfolio-sync-form', 'button')
    expect(drawSync()).toContain('Starting…')
    await pressIn('portfolio-sync-form', 'button')
    expect(called('portfolio.sync')).toHaveLength(1)
  })

  const importDialog = async () => {
    const { usePortfolio } = await loadRenderer<{ usePortfolio: Store<{ importOpen: boolean }> }>('features/portfolio/portfolioStore.ts')
    usePortfolio.setState({ importOpen: true })
    const { ImportDialog } = await loadRenderer<{ ImportDialog: () => unknown }>('features/portfolio/ImportDialog.tsx')
    return () => draw(createElement(ImportDialog as never))
  }
  /** Picks a file in the dialog's File field; its text comes when `text` settles. */
  const pick = (text: Promise<string>) =>
    (drawn.get('portfolio-import-file')!.onChange as (e: object) => void)({ target: { files: [{ name: 'trades.csv', size: 100, text: () => text }] } })
  const csv = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id\n2024-01-02T00:00:00Z,trade,BTC,USDT,buy,40000,0.1,0,USDT,t1\n'

  it('in the import dialog imports the picked file, as Import does', async () => {
    answers['portfolio.importCheck'] = []
    const drawImport = await importDialog()
    drawImport()
    pick(Promise.resolve(csv))
    await settle()
    drawImport()
    type('portfolio-import-account', 'Binance 2024')
    drawImport()
    const press = await pressIn('portfolio-import-form')
    expect(called('portfolio.import').map((c) => c.args)).toEqual([{ account: 'Binance 2024', format: 'generic', fileName: 'trades.csv', text: csv }])
    expect(press.prevented()).toBe(true)
  })

  it('in the import dialog with no file picked says so, as Import does', async () => {
    const drawImport = await importDialog()
    drawImport()
    await pressIn('portfolio-import-form')
    expect(drawImport()).toContain('Choose the export file to import.')
    expect(called('portfolio.import')).toEqual([])
  })

  it('in the import dialog while the file is still being read (Import disabled) does nothing', async () => {
    const drawImport = await importDialog()
    drawImport()
    pick(new Promise(() => {}))
    drawImport()
    await pressIn('portfolio-import-form')
    expect(drawImport()).not.toContain('Choose the export file to import.')
    expect(called('portfolio.import')).toEqual([])
  })
})

describe('Ctrl+Enter in the paper reset dialog', () => {
  const resetDialog = async () => {
    const { useOverlay } = await loadRenderer<{ useOverlay: Store<{ open: string | null }> }>('app/overlays.ts')
    useOverlay.setState({ open: 'paper-reset' })
    const { PaperResetDialog } = await loadRenderer<{ PaperResetDialog: () => unknown }>('features/balances/PaperResetDialog.tsx')
    return () => draw(createElement(PaperResetDialog as never))
  }

  it('in the Amount field resets the paper balance to the typed amount, as Reset does', async () => {
    const drawReset = await resetDialog()
    drawReset()
    type('paper-reset-amount', ' 2500 ')
    drawReset()
    const press = await pressIn('paper-reset-form')
    expect(called('paper.reset').map((c) => c.args)).toEqual([{ amount: '2500' }])
    expect(press.prevented()).toBe(true)
  })

  it('while the reset is under way (Reset disabled) resets nothing more', async () => {
    answers['paper.reset'] = new Promise(() => {})
    const drawReset = await resetDialog()
    drawReset()
    await pressIn('paper-reset-form', 'button')
    expect(drawReset()).toContain('Resetting…')
    await pressIn('paper-reset-form', 'button')
    expect(called('paper.reset')).toHaveLength(1)
  })
})
