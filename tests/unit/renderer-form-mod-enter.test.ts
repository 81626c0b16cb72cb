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

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: KeyEvent): boolean
}
type Store<S> = { getState(): S; setState(s: Partial<S>): void; getInitialState(): S }

/** Sets a store's state for the next render too: a server render reads a zustand store's initial state. */
const seed = <S>(store: Store<S>, state: Partial<S>) => {
  store.setState(state)
  Object.assign(store.getInitialState() as object, state)
}

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
    seed(useAccounts, { exchanges, accounts: [], secrets: null })
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
    seed(useAccounts, { exchanges, accounts: [account], secrets: null, editor: { account: 'a1' } })
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
    seed(useAccounts, { exchanges, accounts: [], secrets: null })
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
    seed(useAccounts, { secrets: { mode: 'passphrase', locked: true, detail: 'Locked', reason: null, canUsePassphrase: true } })
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
    seed(useAccounts, { secrets: { mode: 'unavailable', locked: true, detail: '', reason: 'No keychain', canUsePassphrase: true } })
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
    seed(useLock, { busy: false, error: null, ...state })
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
