import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { keydown, loadRenderer, stubDom, type FakeDom, type KeyEvent } from './renderer-keys-harness'
import type { Action } from '../../src-renderer/app/hotkeys/registry'
import type { TableEvent, TableState } from '../../src-renderer/features/trading/tableNav'

// Mod+Enter sends the ticket's order. Typed in another form's field (a risk limit, an open order's inline
// amend) it sent the ticket's order instead of what that form was for.

// A server render keeps no handlers: each <form>'s props are recorded as it is drawn, by its test id, so a
// test can press keys on the form as the browser would hand them to its onKeyDown.
const drawnForms = vi.hoisted(() => new Map<string, Record<string, unknown>>())
const recordForms = async (runtime: string) => {
  const real = await vi.importActual<Record<string, (type: unknown, props: Record<string, unknown>, ...rest: unknown[]) => unknown>>(runtime)
  const wrap = (create: (type: unknown, props: Record<string, unknown>, ...rest: unknown[]) => unknown) =>
    (type: unknown, props: Record<string, unknown>, ...rest: unknown[]) => {
      if (type === 'form' && typeof props['data-testid'] === 'string') drawnForms.set(props['data-testid'], props)
      return create(type, props, ...rest)
    }
  return { ...real, ...(real.jsx ? { jsx: wrap(real.jsx), jsxs: wrap(real.jsxs!) } : {}), ...(real.jsxDEV ? { jsxDEV: wrap(real.jsxDEV) } : {}) }
}
vi.mock('react/jsx-runtime', () => recordForms('react/jsx-runtime'))
vi.mock('react/jsx-dev-runtime', () => recordForms('react/jsx-dev-runtime'))

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: KeyEvent): boolean
}
type Store<S> = { getState(): S; setState(s: Partial<S>): void }
interface RowEditor {
  useRowEditor(
    state: TableState,
    dispatch: (e: TableEvent) => void,
    tableId: string,
    send: (edit: { id: string; price: string | null }) => Promise<void> | null,
    options: { present: (id: string) => boolean; replaces: boolean; refusedTitle: string },
  ): { onEditorKey(event: KeyEvent): boolean }
}

let dom: FakeDom
let calls: string[]
let dispatchKey: (e: KeyEvent) => boolean
let rowEditor: RowEditor
let tableNav: { tableReducer(s: TableState, e: TableEvent): TableState; initialTable: TableState }

beforeAll(async () => {
  dom = stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string) => {
    calls.push(name)
    if (name === 'orders.submit') return { clientOrderId: 'c1', venueId: 'sim', symbol: 'BTC/USDT', status: 'open' }
    return null
  }
  const { tradingActions } = await loadRenderer<{ tradingActions: () => Action[] }>('features/trading/tradingActions.ts')
  const registry = await import('../../src-renderer/app/hotkeys/registry')
  const dispatcher = await loadRenderer<Dispatcher>('app/hotkeys/dispatcher.ts')
  const { useTicketMarket } = await loadRenderer<{ useTicketMarket: Store<{ setMarket(v: string, s: string): void; price: string }> }>(
    'features/trading/ticketMarket.ts',
  )
  const { useTicket } = await loadRenderer<{ useTicket: Store<{ mounted: number; set(p: object): void }> }>('features/trading/ticketStore.ts')
  rowEditor = await loadRenderer<RowEditor>('features/trading/rowEditor.ts')
  tableNav = await loadRenderer('features/trading/tableNav.ts')
  // A ticket on screen, filled in: Mod+Enter from it would send a buy of 0.001 BTC at 100.
  useTicketMarket.getState().setMarket('sim', 'BTC/USDT')
  useTicketMarket.setState({ price: '100' })
  useTicket.getState().set({ size: '0.001' })
  useTicket.setState({ mounted: 1 })
  for (const action of tradingActions()) registry.registerAction(action)
  dispatcher.installHotkeys()
  dispatchKey = dispatcher.dispatchKey
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => void (calls = []))

const settle = () => new Promise((r) => setTimeout(r, 10))
const ctrl = { ctrlKey: true }

describe('Ctrl+Enter with a ticket on screen', () => {
  it('in a field of another form (the risk limits) is that form’s: no ticket order is sent', async () => {
    const field = dom.inputIn({ 'data-testid': 'risk-form' })
    dom.focus(field)
    const press = keydown('Enter', field, ctrl)
    expect(dispatchKey(press.event)).toBe(false)
    expect(press.prevented()).toBe(false)
    await settle()
    expect(calls).not.toContain('orders.submit')
    // The risk form saves its limits on it, as on Enter.
    const { submitOnModEnter } = await loadRenderer<{ submitOnModEnter(e: object): void }>('ui/modEnter.ts')
    let submitted = 0
    submitOnModEnter({ ...press.event, currentTarget: { requestSubmit: () => void submitted++ } })
    expect(submitted).toBe(1)
    expect(press.prevented()).toBe(true)
  })

  it('on another form’s button (the risk form’s Save) saves that form: no ticket order is sent', async () => {
    const save = dom.controlInForm('button', { 'data-testid': 'risk-form' })
    dom.focus(save)
    const press = keydown('Enter', save, ctrl)
    // React runs the form's own onKeyDown before the window listener.
    const { submitOnModEnter } = await loadRenderer<{ submitOnModEnter(e: object): void }>('ui/modEnter.ts')
    let submitted = 0
    submitOnModEnter({ ...press.event, currentTarget: { requestSubmit: () => void submitted++ } })
    expect(submitted).toBe(1)
    expect(press.prevented()).toBe(true)
    // Even if the form's handler did not take it, the ticket leaves a key pressed in another form alone.
    expect(dispatchKey(press.event)).toBe(false)
    await settle()
    expect(calls).not.toContain('orders.submit')
  })

  it('in a form’s textarea is left to the textarea: the form is not submitted', async () => {
    const note = dom.controlInForm('textarea', { 'data-testid': 'risk-form' })
    const press = keydown('Enter', note, ctrl)
    const { submitOnModEnter } = await loadRenderer<{ submitOnModEnter(e: object): void }>('ui/modEnter.ts')
    let submitted = 0
    submitOnModEnter({ ...press.event, currentTarget: { requestSubmit: () => void submitted++ } })
    expect(submitted).toBe(0)
  })

  it('on the ticket’s own button sends the ticket', async () => {
    const button = dom.controlInForm('button', { 'data-order-ticket': '' })
    dom.focus(button)
    expect(dispatchKey(keydown('Enter', button, ctrl).event)).toBe(true)
    await settle()
    expect(calls).toContain('orders.submit')
  })

  it('in the ticket’s own field sends the ticket', async () => {
    const field = dom.inputIn({ 'data-order-ticket': '' })
    dom.focus(field)
    expect(dispatchKey(keydown('Enter', field, ctrl).event)).toBe(true)
    await settle()
    expect(calls).toContain('orders.submit')
  })

  it('outside any field (a table, a button) sends the ticket', async () => {
    dom.focus(dom.table)
    expect(dispatchKey(keydown('Enter', dom.table, ctrl).event)).toBe(true)
    await settle()
    expect(calls).toContain('orders.submit')
  })

  it('in an open order’s inline amend sends the amendment, and the app’s key never sees it', () => {
    let state = tableNav.tableReducer(tableNav.initialTable, { type: 'rows', ids: ['o1'], previous: [] } as TableEvent)
    state = tableNav.tableReducer(state, { type: 'startEdit', row: { id: 'o1', price: '100', amount: '0.01' } })
    const sent: string[] = []
    const editor = rowEditor.useRowEditor(state, (e) => void (state = tableNav.tableReducer(state, e)), 'open-orders', async (edit) => void sent.push(edit.id), {
      present: () => true,
      replaces: true,
      refusedTitle: 'Amend refused',
    })
    const field = dom.inputIn({ 'data-testid': 'open-orders' })
    dom.focus(field)
    // The table the editor hands the focus back to once the amendment is sent.
    const doc = (globalThis as unknown as { document: object }).document
    vi.stubGlobal('document', { ...doc, getElementById: () => ({ focus() {} }) })
    const press = keydown('Enter', field, ctrl)
    press.event.preventDefault = () => void (press.event.defaultPrevented = true)
    expect(editor.onEditorKey(press.event)).toBe(true)
    expect(sent).toEqual(['o1'])
    // The window listener runs after the row's own handler: the key was taken.
    expect(dispatchKey(press.event)).toBe(false)
  })
})

describe('Ctrl+Enter in a form of the Alerts and Tax pages', () => {
  /**
   * Draws the panel, then presses Ctrl+Enter on a control of its form: the form's onKeyDown gets it (as
   * React runs it before the window's listener); a requestSubmit runs the form's onSubmit, as the browser does.
   */
  const pressIn = async (module: string, panel: string, formId: string, on: 'text' | 'button') => {
    const mod = await loadRenderer<Record<string, () => unknown>>(module)
    renderToStaticMarkup(createElement(mod[panel] as never))
    const form = drawnForms.get(formId)
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
    expect(calls).not.toContain('orders.submit')
    return press
  }

  it('in the new price alert’s Level field sets the alert', async () => {
    const press = await pressIn('features/alerts/AlertsPage.tsx', 'AlertsPage', 'alert-form', 'text')
    expect(calls).toContain('alerts.create')
    expect(press.prevented()).toBe(true)
  })

  it('on the new risk alert’s Set button sets the risk alert', async () => {
    const press = await pressIn('features/alerts/RiskAlerts.tsx', 'NewRiskAlert', 'risk-form', 'button')
    expect(calls).toContain('alerts.riskCreate')
    expect(press.prevented()).toBe(true)
  })

  it('in the alert email settings saves them', async () => {
    const press = await pressIn('features/alerts/EmailSettingsPanel.tsx', 'EmailSettingsPanel', 'alert-mail-form', 'text')
    expect(calls).toContain('alerts.emailSet')
    expect(press.prevented()).toBe(true)
  })

  it('in the tax losses carried in saves them', async () => {
    const press = await pressIn('features/tax/TaxCarryIn.tsx', 'TaxCarryInPanel', 'tax-carry-form', 'text')
    expect(calls).toContain('tax.carryInSet')
    expect(press.prevented()).toBe(true)
  })
})
