import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { engineCall, openApp, type Reply } from './app-helpers'
import type { HeadlessProcess } from '../support/headless-process'
import { createBinanceFixture } from '../support/binance/fixture'

// The Orders page against a real headless engine and its simulated exchange, by keyboard only: the ticket
// on sim BTC/USDT with the engine's live preview, a limit order sent with Mod+Enter and canceled from the
// table with Delete, a market order that fills, a price off the tick refused before anything is sent, a
// stop-market order listed with its live distance, and the kill switch (with its confirm step) and resume.

interface Market {
  symbol: string
  last: string | null
  tickSize: string
}

function value<T>(reply: Reply): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
  return reply.value as T
}

/** The number as the screen shows it, for comparing with the engine's decimal string. */
const plain = (text: string) => text.replace(/,/g, '').split(/\s+/)[0]!
const same = (shown: string, engine: string | null) => (engine === null ? shown === '—' : Number(plain(shown)) === Number(engine))

interface OrderRow {
  clientOrderId: string
  status: string
  price: string | null
}

async function allOrders(engine: HeadlessProcess): Promise<OrderRow[]> {
  const open = value<OrderRow[]>(await engineCall(engine, 'orders.list', { scope: 'open' }))
  const history = value<OrderRow[]>(await engineCall(engine, 'orders.list', { scope: 'history' }))
  return [...open, ...history]
}

async function palette(page: Page, query: string, title: RegExp): Promise<void> {
  await page.keyboard.press('Control+K')
  await page.keyboard.type(query)
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText(title)
  await page.keyboard.press('Enter')
}

test('Orders: ticket, preview, cancel, fill, tick refusal, stop-market and kill switch, all by keyboard', async ({ page, engine }) => {
  test.setTimeout(120_000)
  const problems = await openApp(page, engine)
  const btc = value<Market[]>(await engineCall(engine, 'markets.search', { query: 'BTC/USDT', venueId: 'sim' })).find(
    (m) => m.symbol === 'BTC/USDT',
  )!
  expect(btc.last).not.toBeNull()
  const last = Number(btc.last)
  const below = (Math.floor(last * 0.9 * 100) / 100).toFixed(2)

  // Orders page (Mod+7); the ticket's market by the palette: sim BTC/USDT.
  await page.keyboard.press('Control+7')
  await expect(page.getByTestId('orders-page')).toBeVisible()
  await expect(page.getByTestId('ticket-venue')).toHaveValue('sim')
  await palette(page, 'choose market', /Ticket: choose market/)
  await expect(page.getByTestId('ticket-symbol')).toBeFocused()
  await page.keyboard.type('btc/usdt')
  await expect(page.getByTestId('ticket-market')).toContainText('BTC/USDT')
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('BTC/USDT')

  // A limit buy below the market: B focuses the amount, Shift+Tab goes back to the price.
  await page.keyboard.press('Tab')
  await page.keyboard.press('b')
  await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-size')).toBeFocused()
  await page.keyboard.type('0.001')
  await page.keyboard.press('Shift+Tab')
  await expect(page.getByTestId('ticket-limit-price')).toBeFocused()
  await page.keyboard.type(below)

  // The preview is the engine's: the same figures it gives another client for the same ticket.
  const ticket = { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', size: { unit: 'base', value: '0.001' }, price: below }
  const preview = page.getByTestId('ticket-preview')
  await expect(preview).toHaveAttribute('data-state', 'ok')
  const expected = value<{ amount: string; notional: string; estimatedFee: string | null; estimatedAvgPrice: string | null; feeAsset: string | null }>(
    await engineCall(engine, 'orders.preview', ticket),
  )
  expect(expected.estimatedFee).not.toBeNull()
  expect(same(await page.getByTestId('preview-amount').innerText(), expected.amount)).toBe(true)
  expect(same(await page.getByTestId('preview-notional').innerText(), expected.notional)).toBe(true)
  expect(same(await page.getByTestId('preview-fee').innerText(), expected.estimatedFee)).toBe(true)
  await expect(page.getByTestId('preview-fee')).toContainText(expected.feeAsset ?? '')
  expect(same(await page.getByTestId('preview-avg-price').innerText(), expected.estimatedAvgPrice)).toBe(true)
  await expect(page.getByTestId('preview-book')).toHaveAttribute('data-status', 'live')
  await page.screenshot({ path: '/tmp/trading-ui-ticket.png' })

  // Mod+Enter sends it; it shows in open orders.
  await page.keyboard.press('Control+Enter')
  const lastSent = page.getByTestId('ticket-last')
  await expect(lastSent).toHaveAttribute('data-status', 'open')
  const limitId = (await lastSent.getAttribute('data-client-order-id'))!
  const openRow = page.locator(`[data-testid="open-order-row"][data-client-order-id="${limitId}"]`)
  await expect(openRow).toBeVisible()
  await expect(openRow.getByTestId('order-price')).toHaveText(Number(below).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }))

  // Cancel it from the table: Alt+O, ↓, Delete → it moves to history as canceled.
  await page.keyboard.press('Alt+O')
  await expect(page.getByTestId('open-orders-table')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(openRow).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Delete')
  await expect(openRow).toHaveCount(0)
  const canceledRow = page.locator(`[data-testid="history-row"][data-client-order-id="${limitId}"]`)
  await expect(canceledRow).toHaveAttribute('data-status', 'canceled')
  expect((await allOrders(engine)).find((o) => o.clientOrderId === limitId)?.status).toBe('canceled')

  // A market buy fills and shows in fills: B, then the order type select (type-ahead 'm' = Market).
  await page.keyboard.press('b')
  await expect(page.getByTestId('ticket-size')).toBeFocused()
  await page.keyboard.press('Shift+Tab') // price
  await page.keyboard.press('Shift+Tab') // time in force
  await page.keyboard.press('Shift+Tab') // order type
  await expect(page.getByTestId('ticket-kind')).toBeFocused()
  await page.keyboard.press('m')
  await expect(page.getByTestId('ticket-kind')).toHaveValue('market')
  await expect(page.getByTestId('ticket-limit-price')).toHaveCount(0)
  await page.keyboard.press('Control+Enter')
  await expect(lastSent).toHaveAttribute('data-status', 'filled')
  const marketId = (await lastSent.getAttribute('data-client-order-id'))!
  expect(marketId).not.toBe(limitId)
  await expect(page.locator(`[data-testid="fill-row"][data-client-order-id="${marketId}"]`).first()).toBeVisible()
  await expect(page.locator(`[data-testid="history-row"][data-client-order-id="${marketId}"]`)).toHaveAttribute('data-status', 'filled')

  // A price off the tick: the engine's message next to the price, the button disabled, nothing sent.
  await page.keyboard.press('Alt+O')
  await page.keyboard.press('b')
  await page.keyboard.press('Shift+Tab') // time in force
  await page.keyboard.press('Shift+Tab') // order type
  await expect(page.getByTestId('ticket-kind')).toBeFocused()
  await page.keyboard.press('l')
  await expect(page.getByTestId('ticket-kind')).toHaveValue('limit')
  await page.keyboard.press('Tab') // time in force
  await page.keyboard.press('Tab') // price
  await expect(page.getByTestId('ticket-limit-price')).toBeFocused()
  await page.keyboard.press('Control+A')
  const offTick = `${below}5`
  await page.keyboard.type(offTick)
  const offPreview = value<{ ok: boolean; problems: { field: string; message: string }[] }>(
    await engineCall(engine, 'orders.preview', { ...ticket, price: offTick }),
  )
  expect(offPreview.ok).toBe(false)
  const tickProblem = offPreview.problems.find((p) => p.field === 'price')!
  expect(tickProblem).toBeDefined()
  await expect(page.getByTestId('ticket-price-error')).toContainText(tickProblem.message)
  await expect(page.getByTestId('ticket-limit-price')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('ticket-submit')).toBeDisabled()
  const before = (await allOrders(engine)).length
  await page.keyboard.press('Control+Enter')
  await page.waitForTimeout(500)
  expect((await allOrders(engine)).length).toBe(before)

  // Back on the tick: a resting limit buy for the kill switch to cancel.
  await page.keyboard.press('Backspace')
  await expect(preview).toHaveAttribute('data-state', 'ok')
  await page.keyboard.press('Control+Enter')
  await expect(lastSent).not.toHaveAttribute('data-client-order-id', marketId)
  await expect(lastSent).toHaveAttribute('data-status', 'open')
  const firstRestingId = (await lastSent.getAttribute('data-client-order-id'))!

  // Amend it in the table: E opens the price in the row, Enter sends the new price (Escape would drop it).
  await page.keyboard.press('Alt+O')
  // The table takes focus once it has drawn the new order: the arrow key waits for it.
  await expect(page.getByTestId('open-orders-table')).toBeFocused()
  await expect(page.locator(`[data-testid="open-order-row"][data-client-order-id="${firstRestingId}"]`)).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await expect(page.locator(`[data-testid="open-order-row"][data-client-order-id="${firstRestingId}"]`)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('e')
  const amendPrice = page.getByTestId('amend-price')
  await expect(amendPrice).toBeFocused()
  const lower = (Number(below) - 10).toFixed(2)
  await page.keyboard.type(lower)
  await page.keyboard.press('Enter')
  await expect(amendPrice).toHaveCount(0)
  const amendedRow = page.getByTestId('open-order-row')
  await expect(amendedRow).toHaveCount(1)
  await expect(amendedRow.getByTestId('order-price')).toHaveText(Number(lower).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
  await expect(page.getByTestId('open-orders-table')).toBeFocused()
  const restingId = (await amendedRow.getAttribute('data-client-order-id'))!
  const stored = (await allOrders(engine)).find((o) => o.clientOrderId === restingId)!
  expect(Number(stored.price)).toBe(Number(lower))

  // An amend the free balance cannot pay for is refused before anything is canceled: the order keeps
  // working, and the refusal stays in its row (an amend is a cancel-replace; it used to lose the order).
  await page.keyboard.press('e')
  await expect(amendPrice).toBeFocused()
  await page.keyboard.press('Tab')
  const amendAmount = page.getByTestId('amend-amount')
  await expect(amendAmount).toBeFocused()
  await page.keyboard.type('1000')
  await page.keyboard.press('Enter')
  await expect(amendedRow.getByTestId('amend-error')).toContainText('is free on')
  await expect(amendedRow.getByTestId('amend-error')).toContainText('the order is left as it was')
  await page.keyboard.press('Escape')
  await expect(amendedRow).toHaveAttribute('data-client-order-id', restingId)
  expect((await allOrders(engine)).find((o) => o.clientOrderId === restingId)!.status).toBe('open')

  // A stop-market sell below the market, listed with the live distance to its trigger.
  await page.keyboard.press('Alt+O')
  await page.keyboard.press('s')
  await expect(page.getByTestId('ticket-side-sell')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-size')).toBeFocused()
  await page.keyboard.type('0.0004')
  await palette(page, 'ticket conditional', /Ticket: conditional order/)
  await expect(page.getByTestId('ticket-conditional-mode')).toBeFocused()
  await page.keyboard.press('s')
  await expect(page.getByTestId('ticket-conditional-mode')).toHaveValue('stop-market')
  await expect(page.getByTestId('ticket-armed-note')).toContainText('In-app orders are armed only while CryptoOrchestrator')
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('ticket-triggerPrice')).toBeFocused()
  const stopAt = (Math.floor(last * 0.8 * 100) / 100).toFixed(2)
  await page.keyboard.type(stopAt)
  await page.keyboard.press('Control+Enter')
  const stopRow = page.locator('[data-testid="conditional-row"][data-kind="stop-market"]')
  await expect(stopRow).toHaveCount(1)
  await expect(stopRow).toHaveAttribute('data-status', /armed|waiting/)
  await expect(stopRow.getByTestId('conditional-trigger')).toContainText(Number(stopAt).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
  const distance = stopRow.getByTestId('conditional-distance')
  await expect(distance).toHaveText(/^[+-]?\d+\.\d+%$/)
  await expect(stopRow.getByTestId('conditional-current')).not.toHaveText('—')
  // Live: the row follows the market (the simulated market moves several times a second): "Now" moves, and
  // the distance is (now − trigger) / now for it. At 20 % the distance's second decimal turns only after a
  // move of about 12 USD, which a quiet simulated stretch may not make (seen in CI), so the poll is on "Now".
  const current = stopRow.getByTestId('conditional-current')
  const firstNow = await current.innerText()
  await expect.poll(() => current.innerText(), { timeout: 20_000, intervals: [250] }).not.toBe(firstNow)
  const [nowText, distanceText] = await stopRow.evaluate((row) =>
    ['conditional-current', 'conditional-distance'].map((id) => row.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
  )
  const now = Number(nowText!.replace(/,/g, ''))
  expect(Math.abs(Number(distanceText!.replace('%', '')) - ((now - Number(stopAt)) / now) * 100)).toBeLessThanOrEqual(0.01)
  await page.screenshot({ path: '/tmp/trading-ui-conditional.png' })

  // Move the stop from the table: E opens the trigger in the row; a trigger above the market is refused
  // with the engine's words, a lower one is sent (Enter) and listed.
  await palette(page, 'focus conditional', /Focus conditional orders/)
  await expect(page.getByTestId('conditional-table')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('e')
  const newTrigger = stopRow.getByTestId('conditional-amend-trigger')
  await expect(newTrigger).toBeFocused()
  await page.keyboard.type((last * 2).toFixed(2))
  await page.keyboard.press('Enter')
  await expect(stopRow.getByTestId('conditional-amend-error')).toContainText('is already crossed')
  const movedTo = (Math.floor(last * 0.7 * 100) / 100).toFixed(2)
  await newTrigger.fill(movedTo)
  await page.keyboard.press('Enter')
  await expect(newTrigger).toHaveCount(0)
  await expect(stopRow.getByTestId('conditional-trigger')).toContainText(Number(movedTo).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
  const armedNow = value<{ kind: string; triggerPrice: string }[]>(await engineCall(engine, 'conditional.list', {}))
  expect(Number(armedNow.find((c) => c.kind === 'stop-market')?.triggerPrice)).toBe(Number(movedTo))

  // Kill switch from inside a text field (a trader typing in the ticket hits the combo by mistake): it asks
  // first with Cancel focused, so the Enter meant for the ticket does not pull it.
  await page.keyboard.press('b')
  await expect(page.getByTestId('ticket-size')).toBeFocused()
  await page.keyboard.press('Control+Shift+K')
  const confirm = page.getByTestId('trading-confirm')
  await expect(confirm).toBeVisible()
  await expect(page.getByTestId('trading-confirm-cancel')).toBeFocused()
  await expect(page.getByTestId('trading-confirm-hint')).toContainText('Tab to “Pull kill switch”')
  await page.keyboard.press('Enter')
  await expect(confirm).toHaveCount(0)
  await expect(page.getByTestId('ticket-size')).toBeFocused()
  await page.waitForTimeout(300)
  await expect(page.getByTestId('risk-state')).toHaveAttribute('data-halted', 'false')
  expect(value<{ halted: boolean }>(await engineCall(engine, 'risk.get', {})).halted).toBe(false)
  // Confirming is deliberate: Tab to the red button, then Enter. Open orders canceled, conditionals disarmed, halted.
  await page.keyboard.press('Control+Shift+K')
  await expect(page.getByTestId('trading-confirm-cancel')).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('trading-confirm-ok')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(confirm).toHaveCount(0)
  await expect(page.getByTestId('risk-state')).toHaveAttribute('data-halted', 'true')
  await expect(page.getByTestId('ticket-halted')).toBeVisible()
  await expect(page.locator(`[data-testid="history-row"][data-client-order-id="${restingId}"]`)).toHaveAttribute('data-status', 'canceled')
  await expect(page.getByTestId('open-order-row')).toHaveCount(0)
  await expect(stopRow).toHaveCount(0)
  const ended = value<{ kind: string; status: string }[]>(await engineCall(engine, 'conditional.list', { scope: 'history' }))
  expect(ended.find((c) => c.kind === 'stop-market')?.status).toBe('canceled')
  await page.screenshot({ path: '/tmp/trading-ui-halted.png' })

  // The ticket refuses while halted, with the engine's words; nothing is sent.
  await palette(page, 'ticket conditional', /Ticket: conditional order/)
  await page.keyboard.press('n')
  await expect(page.getByTestId('ticket-conditional-mode')).toHaveValue('none')
  const halted = value<{ ok: boolean; problems: { field: string; message: string }[] }>(
    await engineCall(engine, 'orders.preview', { ...ticket, side: 'sell', size: { unit: 'base', value: '0.0004' } }),
  )
  const countHalted = (await allOrders(engine)).length
  await page.keyboard.press('Control+Enter')
  const general = page.getByTestId('ticket-general-error')
  await expect(general).toContainText(halted.ok ? /halt/i : halted.problems[0]!.message)
  await expect(general).toContainText(/halt/i)
  await page.waitForTimeout(300)
  expect((await allOrders(engine)).length).toBe(countHalted)

  // Resume from the palette: trading is on again and the ticket's preview is clean.
  await palette(page, 'resume trading', /Resume trading/)
  await expect(page.getByTestId('risk-state')).toHaveAttribute('data-halted', 'false')
  await expect(page.getByTestId('ticket-halted')).toHaveCount(0)
  await expect(preview).toHaveAttribute('data-state', 'ok')

  // Flatten (Mod+Shift+F, reachable from a text field too: confirmed with Tab, Enter): a market sell of the free BTC that fills.
  await page.keyboard.press('Alt+O')
  await page.keyboard.press('Control+Shift+F')
  await expect(page.getByTestId('trading-confirm')).toContainText('Flatten BTC/USDT')
  await expect(page.getByTestId('trading-confirm-cancel')).toBeFocused()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('trading-confirm')).toHaveCount(0)
  const flattened = page.locator('[data-testid="history-row"][data-status="filled"]').first()
  await expect(flattened).toContainText('sell')
  await expect(flattened).toContainText('flatten')

  expect(problems, 'no console errors').toEqual([])
})

test('Paper on a real market: open on Binance public data (local server), trade it from the ticket, close it', async ({ page, engine }) => {
  test.setTimeout(120_000)
  const fx = await createBinanceFixture()
  try {
    const problems = await openApp(page, engine)
    await page.keyboard.press('Control+7')
    await expect(page.getByTestId('orders-page')).toBeVisible()

    // The form by keyboard: source (public data: Binance), another API origin, a label; Enter opens it.
    await palette(page, 'open a paper account', /Open a paper account on a real market/)
    const source = page.getByTestId('paper-source')
    await expect(source).toBeFocused()
    // No exchange account yet: the first choice is Binance's public data.
    await expect(source).toHaveValue('exchange:binance')
    await page.keyboard.press('Tab')
    await expect(page.getByTestId('paper-api-url')).toBeFocused()
    await page.keyboard.type(fx.server.restUrl)
    await page.keyboard.press('Tab')
    await page.keyboard.type('Rehearsal')
    await page.keyboard.press('Enter')
    const row = page.locator('[data-testid="paper-venue-row"]', { hasText: 'Rehearsal' })
    await expect(row).toBeVisible()
    const venueId = (await row.getAttribute('data-venue-id'))!
    expect(venueId).toMatch(/^paper:/)
    const venues = value<{ id: string; kind: string; exchange: string }[]>(await engineCall(engine, 'venues.list'))
    expect(venues.find((v) => v.id === venueId)).toMatchObject({ kind: 'paper', exchange: 'binance' })

    // The same ticket trades it: venue by type-ahead, the symbol, a market buy whose preview walks that book.
    await palette(page, 'choose market', /Ticket: choose market/)
    await page.keyboard.press('Shift+Tab')
    await expect(page.getByTestId('ticket-venue')).toBeFocused()
    await page.keyboard.press('r')
    await expect(page.getByTestId('ticket-venue')).toHaveValue(venueId)
    await page.keyboard.press('Tab')
    await page.keyboard.type('BTC/USDT')
    await expect(page.getByTestId('ticket-market')).toContainText('BTC/USDT · Rehearsal')
    await page.keyboard.press('Tab')
    await page.keyboard.press('b')
    await page.keyboard.type('0.01')
    await page.keyboard.press('Shift+Tab') // price
    await page.keyboard.press('Shift+Tab') // time in force
    await page.keyboard.press('Shift+Tab') // order type
    await page.keyboard.press('m')
    await expect(page.getByTestId('ticket-kind')).toHaveValue('market')
    await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'ok')
    await expect(page.getByTestId('preview-book')).toHaveAttribute('data-status', 'live')
    await expect(page.getByTestId('preview-avg-price')).not.toHaveText('—')
    await page.keyboard.press('Control+Enter')
    await expect(page.getByTestId('ticket-last')).toHaveAttribute('data-status', 'filled')
    const filledId = (await page.getByTestId('ticket-last').getAttribute('data-client-order-id'))!
    await expect(page.locator(`[data-testid="fill-row"][data-client-order-id="${filledId}"]`).first()).toContainText('Rehearsal')
    // Only that account's rows when the tables are filtered to it.
    await palette(page, 'show one account', /Orders: show one account or all/)
    await page.keyboard.press('r')
    await expect(page.getByTestId('orders-venue-filter')).toHaveValue(venueId)
    await expect(page.getByTestId('fill-row')).toHaveCount(1)

    // Close it from its list: Delete asks, Enter confirms.
    await palette(page, 'paper accounts list', /Paper accounts on real markets: list and close/)
    await expect(page.getByTestId('paper-venues-table')).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await expect(row).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('Delete')
    await expect(page.getByTestId('trading-confirm')).toContainText('Close Rehearsal')
    await page.keyboard.press('Enter')
    await expect(row).toHaveCount(0)
    const after = value<{ id: string }[]>(await engineCall(engine, 'venues.list'))
    expect(after.some((v) => v.id === venueId)).toBe(false)
    expect(problems, 'no console errors').toEqual([])
  } finally {
    await fx.close()
  }
})

test('Conditional orders from the ticket: a trailing distance of 0 refused at its field, trailing, OCO and bracket armed', async ({ page, engine }) => {
  test.setTimeout(120_000)
  const problems = await openApp(page, engine)
  const btc = value<Market[]>(await engineCall(engine, 'markets.search', { query: 'BTC/USDT', venueId: 'sim' })).find(
    (m) => m.symbol === 'BTC/USDT',
  )!
  const last = Number(btc.last)
  const at = (f: number) => (Math.floor(last * f * 100) / 100).toFixed(2)
  // Something to sell: a market buy first.
  value(await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.01' } }))

  await page.keyboard.press('Control+7')
  await palette(page, 'choose market', /Ticket: choose market/)
  await page.keyboard.type('BTC/USDT')
  await page.keyboard.press('Tab')
  await page.keyboard.press('s')
  await page.keyboard.type('0.002')
  const mode = page.getByTestId('ticket-conditional-mode')
  const conditionalRows = page.getByTestId('conditional-row')
  const stored = async () => value<unknown[]>(await engineCall(engine, 'conditional.list', { scope: 'active' })).length

  // Trailing stop, distance 0: the engine's words next to "Trail by", nothing stored.
  await palette(page, 'ticket conditional', /Ticket: conditional order/)
  await page.keyboard.type('trail') // type-ahead in the select
  await expect(mode).toHaveValue('trailing-stop')
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('ticket-trailValue')).toBeFocused()
  await page.keyboard.type('0')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('ticket-trailValue-error')).toContainText(/greater than zero|must be/)
  await expect(page.getByTestId('ticket-trailValue')).toBeFocused()
  expect(await stored()).toBe(0)

  // 1.5 % it is: armed (or waiting for its activation), with the trail shown in the table.
  await page.keyboard.press('Backspace')
  await page.keyboard.type('1.5')
  await page.keyboard.press('Control+Enter')
  await expect(page.locator('[data-testid="conditional-row"][data-kind="trailing-stop"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="conditional-row"][data-kind="trailing-stop"]').getByTestId('conditional-trailing')).toContainText('trail 1.5%')
  expect(await stored()).toBe(1)

  // Widen it from the table: a double-click opens its distance in the row; Enter sends 2.5.
  const trailRow = page.locator('[data-testid="conditional-row"][data-kind="trailing-stop"]')
  await trailRow.dblclick()
  const distanceField = trailRow.getByTestId('conditional-amend-distance')
  await expect(distanceField).toBeFocused()
  await page.keyboard.type('2.5')
  await page.keyboard.press('Enter')
  await expect(trailRow.getByTestId('conditional-trailing')).toContainText('trail 2.5%')
  const trails = value<{ kind: string; trailing: { value: string } | null }[]>(await engineCall(engine, 'conditional.list', {}))
  expect(trails.find((c) => c.kind === 'trailing-stop')?.trailing?.value).toBe('2.5')
  // Its trigger (reference × 0.975, exact) is shown at the price the sell fires at: on the 0.01 tick, at or
  // just below the exact figure (read together: the reference moves with the market).
  const firesAt = await trailRow.getByTestId('conditional-fires-at').evaluate((el) => ({ shown: el.textContent ?? '', exact: el.getAttribute('data-exact') ?? '' }))
  expect(firesAt.shown).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/)
  const cents = (text: string) => Math.round(Number(plain(text)) * 100)
  expect(cents(firesAt.shown)).toBe(Math.floor(Number(firesAt.exact) * 100 + 1e-6))

  // OCO: take-profit above, stop below, both sells; two rows, one group.
  await palette(page, 'ticket conditional', /Ticket: conditional order/)
  await page.keyboard.press('o')
  await expect(mode).toHaveValue('oco')
  await page.keyboard.press('Tab')
  await page.keyboard.type(at(1.2)) // take-profit trigger
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await page.keyboard.type(at(0.8)) // stop-loss trigger
  await page.keyboard.press('Control+Enter')
  await expect(conditionalRows).toHaveCount(3)
  await expect(page.locator('[data-testid="conditional-row"]', { hasText: 'OCO' })).toHaveCount(2)

  // Bracket: a limit buy below the market as the entry; its take-profit and stop-loss wait for the fill.
  await palette(page, 'ticket conditional', /Ticket: conditional order/)
  await page.keyboard.press('b')
  await expect(mode).toHaveValue('bracket')
  await page.keyboard.press('Alt+O')
  await page.keyboard.press('b')
  await page.keyboard.press('Shift+Tab')
  await expect(page.getByTestId('ticket-limit-price')).toBeFocused()
  await page.keyboard.type(at(0.9))
  await page.keyboard.press('Tab')
  await page.keyboard.press('Control+A')
  await page.keyboard.type('0.001')
  // The OCO's take-profit and stop-loss prices are still there: replace them.
  await page.getByTestId('ticket-tpTrigger').focus()
  await page.keyboard.press('Control+A')
  await page.keyboard.type(at(1.1))
  await page.getByTestId('ticket-slTrigger').focus()
  await page.keyboard.press('Control+A')
  await page.keyboard.type(at(0.85))
  // Its stop-loss sells: limited above its trigger, it would wait above the market once triggered. The
  // ticket says so under the limit; emptied (a market exit), the remark goes.
  await page.getByTestId('ticket-slLimit').focus()
  await page.keyboard.type(at(0.86))
  await expect(page.getByTestId('ticket-slLimit-hint')).toContainText('Above the trigger: once triggered, this sell waits above the market')
  await expect(page.getByTestId('ticket-slLimit')).toHaveAttribute('aria-describedby', 'ticket-slLimit-hint')
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Backspace')
  await expect(page.getByTestId('ticket-slLimit-hint')).toHaveCount(0)
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'ok')
  await page.keyboard.press('Control+Enter')
  const bracketRows = page.locator('[data-testid="conditional-row"]', { hasText: 'bracket' })
  await expect(bracketRows).toHaveCount(2)
  await expect(bracketRows.first()).toHaveAttribute('data-status', 'waiting')
  await expect(page.getByTestId('open-order-row')).toHaveCount(1)
  await page.screenshot({ path: '/tmp/trading-ui-conditional-kinds.png' })

  // Delete on the trailing stop cancels it.
  await palette(page, 'focus conditional', /Focus conditional orders/)
  await page.keyboard.press('End')
  await page.keyboard.press('Home')
  const selected = page.locator('[data-testid="conditional-row"][aria-selected="true"]')
  const kind = await selected.getAttribute('data-kind')
  await page.keyboard.press('Delete')
  await expect(conditionalRows).toHaveCount(kind === 'trailing-stop' ? 4 : 3)
  expect(problems, 'no console errors').toEqual([])
})

test('Risk limits: the engine refuses a bad limit at its field; a saved limit shows on the ticket; empty is no limit', async ({ page, engine }) => {
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+7')
  await palette(page, 'edit risk limits', /Edit risk limits/)
  const maxOrder = page.getByTestId('risk-maxOrderNotional')
  await expect(maxOrder).toBeFocused()
  await page.keyboard.type('-5')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('risk-maxOrderNotional-error')).toBeVisible()
  expect(value<{ maxOrderNotional: string | null }>(await engineCall(engine, 'risk.get')).maxOrderNotional).toBeNull()

  await page.keyboard.press('Control+A')
  await page.keyboard.type('20')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('risk-maxOrderNotional-error')).toHaveCount(0)
  await expect.poll(async () => value<{ maxOrderNotional: string | null }>(await engineCall(engine, 'risk.get')).maxOrderNotional).toBe('20')
  await expect(maxOrder).toHaveValue('20')

  // A market buy worth more than 20 USDT: the ticket shows the engine's refusal and will not send.
  await palette(page, 'choose market', /Ticket: choose market/)
  await page.keyboard.type('BTC/USDT')
  await page.keyboard.press('Tab')
  await page.keyboard.press('b')
  await page.keyboard.type('100')
  await page.keyboard.press('Tab')
  await page.keyboard.type('u') // amount in USDT (type-ahead in the unit select)
  await expect(page.getByTestId('ticket-unit')).toHaveValue('quote')
  await page.getByTestId('ticket-kind').focus()
  await page.keyboard.press('m')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'problems')
  await expect(page.getByTestId('ticket-submit')).toBeDisabled()
  // The order value follows the live price, so the screen and the engine are read in the same poll.
  const shownError = page.getByTestId('ticket-general-error')
  await expect(shownError).toContainText(/Order value [\d.]+ USDT is above the max order notional 20 USDT/)
  await expect
    .poll(async () => {
      const preview = value<{ problems: { field: string; message: string }[] }>(
        await engineCall(engine, 'orders.preview', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'quote', value: '100' } }),
      )
      const risk = preview.problems.find((p) => p.field === 'risk')
      const shown = (await shownError.textContent()) ?? ''
      return risk !== undefined && shown.includes(risk.message)
    })
    .toBe(true)

  // Empty is no limit again.
  await palette(page, 'edit risk limits', /Edit risk limits/)
  await page.keyboard.press('Backspace')
  await page.keyboard.press('Enter')
  await expect.poll(async () => value<{ maxOrderNotional: string | null }>(await engineCall(engine, 'risk.get')).maxOrderNotional).toBeNull()
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'ok')

  // A daily loss limit: the panel shows each account's start of day and equity now, as the engine holds them.
  const today = page.getByTestId('risk-today')
  await expect(today.locator('caption')).toContainText('no daily loss limit set')
  await palette(page, 'edit risk limits', /Edit risk limits/)
  await page.getByTestId('risk-dailyLossLimit').fill('50')
  await page.getByTestId('risk-dailyLossLimit').press('Enter')
  await expect(today.locator('caption')).toContainText('daily loss limit 50.00 USDT')
  const simRow = page.getByTestId('risk-today-sim')
  await expect(simRow.getByTestId('risk-today-start')).not.toHaveText(/not yet|—/)
  const engineToday = value<{ dailyLossLimit: string; accounts: { venueId: string; startEquity: string | null }[] }>(await engineCall(engine, 'risk.today'))
  expect(engineToday.dailyLossLimit).toBe('50')
  const start = engineToday.accounts.find((a) => a.venueId === 'sim')?.startEquity ?? null
  expect(start).not.toBeNull()
  const shown = Number(start).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  await expect(simRow.getByTestId('risk-today-start')).toHaveText(shown)
  expect(problems, 'no console errors').toEqual([])
})

test('Ticket: shows what is available to spend (quote to buy, base to sell) as the engine holds it, follows a fill, and a click sizes the order at 100 %', async ({ page, engine }) => {
  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+7')
  await palette(page, 'choose market', /Ticket: choose market/)
  await page.keyboard.type('btc/usdt')
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('BTC/USDT')
  type Balances = { venues: { venueId: string; balances: { asset: string; free: string }[] }[] }
  const freeOf = async (asset: string) =>
    value<Balances>(await engineCall(engine, 'balances.list')).venues.find((v) => v.venueId === 'sim')!.balances.find((b) => b.asset === asset)?.free ?? '0'
  const available = page.getByTestId('ticket-available')

  await page.getByTestId('ticket-side-buy').click()
  await expect(available).toHaveAttribute('data-asset', 'USDT')
  await expect.poll(async () => (await available.getAttribute('data-free')) === (await freeOf('USDT'))).toBe(true)
  await page.getByTestId('ticket-side-sell').click()
  await expect(available).toHaveAttribute('data-asset', 'BTC')
  await expect.poll(async () => (await available.getAttribute('data-free')) === (await freeOf('BTC'))).toBe(true)

  // A market buy made elsewhere (another client of the engine) shows here: more BTC to sell.
  const before = Number(await available.getAttribute('data-free'))
  value(await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.002' } }))
  await expect.poll(async () => Number(await available.getAttribute('data-free'))).toBeGreaterThan(before)
  await expect.poll(async () => (await available.getAttribute('data-free')) === (await freeOf('BTC'))).toBe(true)

  // The figure sizes the order at all of it.
  await page.getByTestId('ticket-available-all').click()
  await expect(page.getByTestId('ticket-unit')).toHaveValue('percent')
  await expect(page.getByTestId('ticket-size')).toHaveValue('100')
  await expect(page.getByTestId('ticket-pct-100')).toHaveAttribute('aria-pressed', 'true')
  expect(problems, 'no console errors').toEqual([])
})

test('Mod+Enter is the focused form’s: the risk field saves its limit, an inline amend sends the amendment, a mistyped market sends nothing', async ({ page, engine }) => {
  test.setTimeout(90_000)
  const problems = await openApp(page, engine)
  const btc = value<Market[]>(await engineCall(engine, 'markets.search', { query: 'BTC/USDT', venueId: 'sim' })).find((m) => m.symbol === 'BTC/USDT')!
  const below = (Math.floor(Number(btc.last) * 0.9 * 100) / 100).toFixed(2)
  const lower = (Number(below) - 10).toFixed(2)
  const openOrders = async () => value<OrderRow[]>(await engineCall(engine, 'orders.list', { scope: 'open' }))

  // A filled-in ticket: Mod+Enter from its own field sends it.
  await page.keyboard.press('Control+7')
  await palette(page, 'choose market', /Ticket: choose market/)
  await page.keyboard.type('btc/usdt')
  await page.keyboard.press('Tab')
  await page.keyboard.press('b')
  await page.keyboard.type('0.001')
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.type(below)
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'ok')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('ticket-last')).toHaveAttribute('data-status', 'open')
  expect(await openOrders()).toHaveLength(1)

  // In the risk limits' field it saves the limit, and sends no second ticket order.
  await palette(page, 'edit risk limits', /Edit risk limits/)
  await expect(page.getByTestId('risk-maxOrderNotional')).toBeFocused()
  await page.keyboard.type('5000')
  await page.keyboard.press('Control+Enter')
  await expect.poll(async () => value<{ maxOrderNotional: string | null }>(await engineCall(engine, 'risk.get')).maxOrderNotional).toBe('5000')
  expect(await openOrders()).toHaveLength(1)

  // In an open order's inline amend it sends the amendment.
  await page.keyboard.press('Alt+O')
  await expect(page.getByTestId('open-orders-table')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('e')
  await expect(page.getByTestId('amend-price')).toBeFocused()
  await page.keyboard.type(lower)
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('amend-price')).toHaveCount(0)
  await expect.poll(async () => (await openOrders()).map((o) => Number(o.price))).toEqual([Number(lower)])

  // A mistyped market in the symbol field: the ticket sends nothing (not the BTC order it was on), says
  // why at the field, and puts the focus there.
  await palette(page, 'choose market', /Ticket: choose market/)
  await page.keyboard.type('eth/ustd')
  await expect(page.getByTestId('ticket-symbol')).toHaveAttribute('aria-invalid', 'true')
  await page.getByTestId('ticket-size').focus()
  await page.keyboard.press('Control+Enter')
  await expect(page.locator('#ticket-market-note')).toHaveText('eth/ustd is not a market of Simulated exchange')
  await expect(page.getByTestId('ticket-symbol')).toBeFocused()
  await page.waitForTimeout(300)
  expect(await openOrders()).toHaveLength(1)
  expect(problems, 'no console errors').toEqual([])
})
