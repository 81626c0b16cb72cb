import type { Locator, Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { engineCall, openApp } from './app-helpers'
import type { HeadlessProcess } from '../support/headless-process'

// The Trade page as a workspace of views against a real headless engine: several order books, tapes and
// charts open at once, each on its own simulated market; added, resized and closed with the mouse or only
// the keyboard; and the layout kept by the engine (SQLite), so a reload brings the same views back.

interface SavedView {
  id: string
  kind: string
  venueId: string
  symbol: string
  size: number
  timeframe?: string
}
interface SavedLayout {
  version: 1
  watchlist: number
  columns: { id: string; size: number; views: SavedView[] }[]
  focused: string | null
}

async function savedLayout(engine: HeadlessProcess): Promise<SavedLayout> {
  const reply = await engineCall(engine, 'workspace.get', {})
  if (!reply.ok) throw new Error(reply.error.message)
  return (reply.value as { layout: SavedLayout }).layout
}

/** Books the engine is watching for someone (ladders, depth charts, aggregates). */
async function watchedBooks(engine: HeadlessProcess): Promise<string[]> {
  const reply = await engineCall(engine, 'market.health')
  if (!reply.ok) throw new Error(reply.error.message)
  return (reply.value as { venueId: string; symbol: string; views: number }[]).filter((h) => h.views > 0).map((h) => `${h.venueId}|${h.symbol}`).sort()
}

/** Every view on the screen, in order: id, kind and market. */
const viewsOnScreen = (page: Page) =>
  page
    .locator('[data-view-id]')
    .evaluateAll((els) => els.map((el) => `${el.getAttribute('data-view-id')} ${el.getAttribute('data-view-kind')} ${el.getAttribute('data-market')}`))

const viewsSaved = (layout: SavedLayout) => layout.columns.flatMap((c) => c.views.map((v) => `${v.id} ${v.kind} ${v.venueId}|${v.symbol}`))

const prices = (levels: Locator) => levels.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-price'))))

/** The width of each column pane, by column id. */
const columnWidths = (page: Page): Promise<Record<string, number>> =>
  page
    .locator('[data-column-id]')
    .evaluateAll((els) => Object.fromEntries(els.map((el) => [el.getAttribute('data-column-id')!, el.getBoundingClientRect().width])))

async function openTrade(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+6')
  const tradePage = page.getByTestId('trade-page')
  await expect(tradePage).toBeVisible()
  await expect(tradePage).not.toHaveAttribute('data-views', '0')
  return tradePage
}

// The worker's engine is shared with the other spec files: what they find is put back afterwards.
let found: SavedLayout | null = null
test.beforeAll(async ({ engine }) => {
  found = await savedLayout(engine)
})
test.afterAll(async ({ engine }) => {
  if (found) await engineCall(engine, 'workspace.save', { layout: found })
})

/** Where the first test starts (the engine is shared with other spec files, which change the layout too). */
const start = {
  version: 1,
  watchlist: 18,
  columns: [
    {
      id: 'c1',
      size: 42,
      views: [
        { id: 'v1', kind: 'candles', venueId: 'sim', symbol: 'BTC/USDT', size: 60, timeframe: '1m' },
        { id: 'v2', kind: 'depth', venueId: 'sim', symbol: 'BTC/USDT', size: 40 },
      ],
    },
    {
      id: 'c2',
      size: 40,
      views: [
        { id: 'v3', kind: 'book', venueId: 'sim', symbol: 'BTC/USDT', size: 60, group: 1 },
        { id: 'v4', kind: 'tape', venueId: 'sim', symbol: 'BTC/USDT', size: 40 },
      ],
    },
  ],
  focused: 'v3',
}

test('Workspace: two order books on two markets and a tape, resized and closed; a reload brings the same views back', async ({ page, engine }) => {
  test.setTimeout(120_000)
  expect(await engineCall(engine, 'workspace.save', { layout: start })).toMatchObject({ ok: true })
  const problems = await openApp(page, engine)
  const tradePage = await openTrade(page)
  await expect(tradePage).toHaveAttribute('data-views', '4')
  const btcBook = page.locator('[data-testid="panel-book"][data-market="sim|BTC/USDT"]')
  await expect(btcBook).toHaveCount(1)

  // A second order book, ETH/USDT, with the mouse: Add view… → Order book → ETH/USDT.
  await page.getByTestId('add-view-button').click()
  await page.locator('[data-testid="view-kind-option"][data-kind="book"]').click()
  await page.locator('[data-testid="open-market-option"][data-symbol="ETH/USDT"][data-venue-id="sim"]').click()
  const ethBook = page.locator('[data-testid="panel-book"][data-market="sim|ETH/USDT"]')
  await expect(ethBook).toHaveAttribute('data-focused', 'true')
  await expect(tradePage).toHaveAttribute('data-market', 'sim|ETH/USDT')
  await expect(page.getByTestId('trade-symbol')).toHaveText('ETH/USDT')

  // Both ladders are live, each with its own market's levels.
  for (const book of [btcBook, ethBook]) {
    await expect(book.getByTestId('ladder')).toHaveAttribute('data-status', 'live')
    await expect.poll(() => book.getByTestId('book-bid').count()).toBeGreaterThan(3)
  }
  const ethBids = await prices(ethBook.getByTestId('book-bid'))
  const btcBids = await prices(btcBook.getByTestId('book-bid'))
  const ethInfo = await engineCall(engine, 'markets.search', { query: 'ETH/USDT', venueId: 'sim' })
  const ethLast = Number((ethInfo as { value: { symbol: string; last: string }[] }).value.find((m) => m.symbol === 'ETH/USDT')!.last)
  expect(Math.max(...ethBids)).toBeGreaterThan(ethLast * 0.9)
  expect(Math.max(...ethBids)).toBeLessThan(ethLast * 1.1)
  expect(Math.min(...btcBids)).toBeGreaterThan(ethLast * 5)
  await expect.poll(() => watchedBooks(engine)).toEqual(['sim|BTC/USDT', 'sim|ETH/USDT'])

  // A trades tape on ETH/USDT, below the ETH book (its "+"); the market list starts on the book's market.
  await ethBook.getByTestId('view-add-below').click()
  await page.locator('[data-testid="view-kind-option"][data-kind="tape"]').click()
  const chosen = page.locator('[data-testid="open-market-option"][aria-selected="true"]')
  await expect(chosen).toHaveAttribute('data-symbol', 'ETH/USDT')
  await chosen.click()
  const ethTape = page.locator('[data-testid="panel-tape"][data-market="sim|ETH/USDT"]')
  await expect(ethTape).toHaveAttribute('data-focused', 'true')
  await expect.poll(() => ethTape.getByTestId('tape-row').count(), { timeout: 20_000 }).toBeGreaterThan(0)
  const bookBox = (await ethBook.boundingBox())!
  const tapeBox = (await ethTape.boundingBox())!
  expect(Math.abs(tapeBox.x - bookBox.x)).toBeLessThan(2)
  expect(tapeBox.y).toBeGreaterThan(bookBox.y + bookBox.height - 2)
  // Two tapes side by side now: the default BTC one and this one.
  await expect(page.getByTestId('panel-tape')).toHaveCount(2)

  // A ladder level clicked in the ETH book is the ticket's price, for ETH/USDT. (Levels move many times a
  // second, so the click is at a place, and what it picked is read back from the ladder.)
  // A click whose row is redrawn between press and release lands on the ladder itself, so it may take a few.
  const bidsBox = (await ethBook.getByTestId('book-bids').boundingBox())!
  const ticket = page.getByTestId('ticket-limit-price')
  await expect(async () => {
    await page.mouse.click(bidsBox.x + bidsBox.width / 2, bidsBox.y + 18 * 2.5)
    expect(await ticket.inputValue({ timeout: 1_000 })).not.toBe('')
  }).toPass({ timeout: 20_000 })
  const picked = Number(await ticket.inputValue())
  expect(Math.abs(picked - ethLast) / ethLast).toBeLessThan(0.05)
  expect(Math.max(...(await prices(ethBook.getByTestId('book-ask'))))).toBeGreaterThan(picked)
  await expect(page.getByTestId('ticket-market')).toContainText('ETH/USDT')

  // A third book (SOL/USDT) opens a book in the engine; closing it closes that book.
  await page.getByTestId('add-view-button').click()
  await page.locator('[data-testid="view-kind-option"][data-kind="book"]').click()
  await page.locator('[data-testid="open-market-option"][data-symbol="SOL/USDT"]').click()
  const solBook = page.locator('[data-testid="panel-book"][data-market="sim|SOL/USDT"]')
  await expect(solBook.getByTestId('ladder')).toHaveAttribute('data-status', 'live')
  await expect.poll(() => watchedBooks(engine)).toEqual(['sim|BTC/USDT', 'sim|ETH/USDT', 'sim|SOL/USDT'])
  await solBook.getByTestId('view-close').click()
  await expect(solBook).toHaveCount(0)
  await expect.poll(() => watchedBooks(engine), { timeout: 10_000 }).toEqual(['sim|BTC/USDT', 'sim|ETH/USDT'])

  // Close the depth chart.
  await page.getByTestId('panel-depth').getByTestId('view-close').click()
  await expect(page.getByTestId('panel-depth')).toHaveCount(0)

  // Resize: drag the separator left of the ETH column 90 px to the left; the column grows by as much.
  const ethColumn = await ethBook.evaluate((el) => el.closest('[data-column-id]')!.getAttribute('data-column-id')!)
  const before = await columnWidths(page)
  const separator = page.locator(`[data-before-column="${ethColumn}"]`)
  const sep = (await separator.boundingBox())!
  await page.mouse.move(sep.x + sep.width / 2, sep.y + sep.height / 2)
  await page.mouse.down()
  await page.mouse.move(sep.x + sep.width / 2 - 45, sep.y + sep.height / 2, { steps: 4 })
  await page.mouse.move(sep.x + sep.width / 2 - 90, sep.y + sep.height / 2, { steps: 4 })
  await page.mouse.up()
  await expect.poll(async () => (await columnWidths(page))[ethColumn]! - before[ethColumn]!).toBeGreaterThan(80)
  await page.screenshot({ path: '/tmp/workspace-before-reload.png' })

  // What the engine keeps (written 500 ms after the last change) is what the screen shows.
  const shown = await viewsOnScreen(page)
  expect(shown.filter((v) => / book /.test(v))).toHaveLength(2)
  expect(shown.filter((v) => / tape /.test(v))).toHaveLength(2)
  const focusedBefore = await tradePage.getAttribute('data-focused-view')
  const widths = await columnWidths(page)
  await expect.poll(async () => viewsSaved(await savedLayout(engine))).toEqual(shown)
  await expect
    .poll(async () => {
      const saved = await savedLayout(engine)
      const total = Object.values(widths).reduce((a, b) => a + b, 0)
      const share = (widths[ethColumn]! / total) * (100 - saved.watchlist)
      return Math.abs(saved.columns.find((c) => c.id === ethColumn)!.size - share) < 1.5
    })
    .toBe(true)
  expect((await savedLayout(engine)).focused).toBe(focusedBefore)

  // Reload: the same views, markets, focus and sizes come back from the engine.
  await page.reload()
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected')
  await expect(tradePage).toBeVisible()
  await expect.poll(() => viewsOnScreen(page)).toEqual(shown)
  await expect(tradePage).toHaveAttribute('data-focused-view', focusedBefore!)
  const after = await columnWidths(page)
  for (const [id, w] of Object.entries(widths)) expect(Math.abs(after[id]! - w), `column ${id}`).toBeLessThan(3)
  await expect(ethBook.getByTestId('ladder')).toHaveAttribute('data-status', 'live')
  await expect(btcBook.getByTestId('ladder')).toHaveAttribute('data-status', 'live')
  await expect(page.getByTestId('panel-depth')).toHaveCount(0)
  await expect.poll(() => watchedBooks(engine)).toEqual(['sim|BTC/USDT', 'sim|ETH/USDT'])
  await page.screenshot({ path: '/tmp/workspace-after-reload.png' })

  // A change made just before the page goes is not lost: the chart's timeframe, then an immediate reload.
  await page.keyboard.press('Alt+C')
  const chart = page.getByTestId('chart')
  await expect(chart).toBeFocused()
  await page.keyboard.press('4')
  await expect(chart).toHaveAttribute('data-timeframe', '1h')
  await page.reload()
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected')
  await expect(page.getByTestId('chart')).toHaveAttribute('data-timeframe', '1h')

  expect(problems, 'no console errors').toEqual([])
})

test('Workspace by keyboard alone: add a view, change its market, replace it, move focus, close it', async ({ page, engine }) => {
  test.setTimeout(120_000)
  const problems = await openApp(page, engine)
  const tradePage = await openTrade(page)
  const count = Number(await tradePage.getAttribute('data-views'))

  // Alt+A: the kind first (typed, Enter), then the market (typed, Enter).
  await page.keyboard.press('Alt+A')
  await expect(page.getByTestId('view-kind-input')).toBeFocused()
  await page.keyboard.type('tape')
  await expect(page.locator('[data-testid="view-kind-option"][aria-selected="true"]')).toHaveAttribute('data-kind', 'tape')
  await page.keyboard.press('Enter')
  const input = page.getByTestId('open-market-input')
  await expect(input).toBeFocused()
  await page.keyboard.type('sol/usdt')
  await expect(page.getByTestId('open-market-option').first()).toHaveAttribute('data-symbol', 'SOL/USDT')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('open-market')).toHaveCount(0)

  const added = page.locator('[data-view-id][data-focused="true"]')
  await expect(added).toHaveAttribute('data-view-kind', 'tape')
  await expect(added).toHaveAttribute('data-market', 'sim|SOL/USDT')
  const id = (await added.getAttribute('data-view-id'))!
  const view = page.locator(`[data-view-id="${id}"]`)
  await expect(tradePage).toHaveAttribute('data-views', String(count + 1))
  // Keyboard focus is in the new view, and its trades arrive.
  await expect.poll(() => view.evaluate((el) => el.contains(document.activeElement))).toBe(true)
  await expect.poll(() => view.getByTestId('tape-row').count(), { timeout: 20_000 }).toBeGreaterThan(0)

  // Alt+M: this view alone moves to XRP/USDT.
  await page.keyboard.press('Alt+M')
  await expect(input).toBeFocused()
  await page.keyboard.type('xrp/usdt')
  await expect(page.getByTestId('open-market-option').first()).toHaveAttribute('data-symbol', 'XRP/USDT')
  await page.keyboard.press('Enter')
  await expect(view).toHaveAttribute('data-market', 'sim|XRP/USDT')
  await expect(tradePage).toHaveAttribute('data-market', 'sim|XRP/USDT')
  await expect(page.locator('[data-view-id][data-market="sim|XRP/USDT"]')).toHaveCount(1)

  // The palette replaces it with a candle chart, in place.
  await page.keyboard.press('Control+K')
  await page.keyboard.type('replace candle')
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText('Replace focused view with candle chart')
  await page.keyboard.press('Enter')
  await expect(view).toHaveAttribute('data-view-kind', 'candles')
  await expect(view).toHaveAttribute('data-market', 'sim|XRP/USDT')
  await expect.poll(async () => Number(await view.getByTestId('chart').getAttribute('data-candles'))).toBeGreaterThan(0)

  // Alt+[ and Alt+] move focus between views.
  await page.keyboard.press('Alt+[')
  await expect(tradePage).not.toHaveAttribute('data-focused-view', id)
  const previous = (await tradePage.getAttribute('data-focused-view'))!
  await expect.poll(() => page.locator(`[data-view-id="${previous}"]`).evaluate((el) => el.contains(document.activeElement))).toBe(true)
  await page.keyboard.press('Alt+]')
  await expect(tradePage).toHaveAttribute('data-focused-view', id)

  // The layout the engine keeps has it, as a candle chart on XRP/USDT.
  await expect
    .poll(async () => viewsSaved(await savedLayout(engine)).find((v) => v.startsWith(`${id} `)))
    .toBe(`${id} candles sim|XRP/USDT`)

  // Alt+X closes it; focus goes to a neighbour.
  await page.keyboard.press('Alt+X')
  await expect(view).toHaveCount(0)
  await expect(tradePage).toHaveAttribute('data-views', String(count))
  await expect(page.locator('[data-view-id][data-focused="true"]')).toHaveCount(1)
  await expect.poll(async () => viewsSaved(await savedLayout(engine)).some((v) => v.startsWith(`${id} `))).toBe(false)

  expect(problems, 'no console errors').toEqual([])
})

test('My orders: a view shows only its market’s position, open orders, conditional orders and fills, and Delete cancels the selected order', async ({ page, engine }) => {
  test.setTimeout(120_000)
  const layout = {
    version: 1,
    watchlist: 18,
    columns: [
      {
        id: 'c1',
        size: 70,
        views: [
          { id: 'v1', kind: 'orders', venueId: 'sim', symbol: 'BTC/USDT', size: 50 },
          { id: 'v2', kind: 'orders', venueId: 'sim', symbol: 'ETH/USDT', size: 50 },
        ],
      },
    ],
    focused: 'v1',
  }
  expect(await engineCall(engine, 'workspace.save', { layout })).toMatchObject({ ok: true })
  const problems = await openApp(page, engine)
  await openTrade(page)
  const btc = page.locator('[data-view-id="v1"]')
  const eth = page.locator('[data-view-id="v2"]')
  await expect(btc).toHaveAttribute('data-view-kind', 'orders')
  // The engine is shared with other spec files: counts are taken from what is there now.
  const count = async (view: Locator, tab: string) => Number(await view.getByTestId(`my-orders-count-${tab}`).innerText())
  const before = { btcOpen: await count(btc, 'open'), ethOpen: await count(eth, 'open'), btcCond: await count(btc, 'conditional'), ethCond: await count(eth, 'conditional') }

  const lastOf = async (symbol: string) => {
    const found = await engineCall(engine, 'markets.search', { query: symbol, venueId: 'sim' })
    return Number((found as { value: { symbol: string; last: string }[] }).value.find((m) => m.symbol === symbol)!.last)
  }
  const limitBuy = async (symbol: string) => {
    const placed = await engineCall(engine, 'orders.submit', {
      venueId: 'sim',
      symbol,
      side: 'buy',
      type: 'limit',
      size: { unit: 'base', value: '0.01' },
      price: ((await lastOf(symbol)) * 0.97).toFixed(2),
    })
    expect(placed.ok, JSON.stringify(placed)).toBe(true)
    return (placed as { value: { clientOrderId: string } }).value.clientOrderId
  }
  const btcOrder = await limitBuy('BTC/USDT')
  const ethOrder = await limitBuy('ETH/USDT')
  const rowIn = (view: Locator, id: string) => view.locator(`[data-testid="open-order-row"][data-client-order-id="${id}"]`)
  await expect(rowIn(btc, btcOrder)).toBeVisible()
  await expect(rowIn(eth, ethOrder)).toBeVisible()
  await expect(rowIn(btc, ethOrder)).toHaveCount(0)
  await expect(rowIn(eth, btcOrder)).toHaveCount(0)
  await expect.poll(() => count(btc, 'open')).toBe(before.btcOpen + 1)
  await expect.poll(() => count(eth, 'open')).toBe(before.ethOpen + 1)
  // One market: no account or market column.
  await expect(btc.getByTestId('open-orders-table').locator('th')).not.toContainText(['Market'])

  // A stop on BTC/USDT is counted and listed there only.
  const stop = await engineCall(engine, 'conditional.create', {
    type: 'single',
    venueId: 'sim',
    symbol: 'BTC/USDT',
    placement: 'app',
    leg: { kind: 'stop-market', side: 'buy', amount: '0.001', trigger: 'last', triggerPrice: ((await lastOf('BTC/USDT')) * 1.05).toFixed(2) },
  })
  expect(stop.ok, JSON.stringify(stop)).toBe(true)
  const stopId = (stop as { value: { id: string }[] }).value[0]!.id
  await expect.poll(() => count(btc, 'conditional')).toBe(before.btcCond + 1)
  expect(await count(eth, 'conditional')).toBe(before.ethCond)
  // By keyboard: Alt+Shift+O focuses the view's table, 2 shows the conditional orders, 1 the open ones.
  await page.keyboard.press('Alt+Shift+O')
  await expect(btc.getByTestId('open-orders-table')).toBeFocused()
  await page.keyboard.press('2')
  await expect(btc.getByTestId('conditional-table')).toBeFocused()
  await expect(btc.getByTestId('my-orders-tab-conditional')).toHaveAttribute('aria-pressed', 'true')
  await expect(btc.locator(`[data-testid="conditional-row"][data-conditional-id="${stopId}"]`)).toHaveAttribute('data-status', 'armed')
  await page.keyboard.press('1')
  await expect(btc.getByTestId('open-orders-table')).toBeFocused()

  // Delete in the view cancels the selected order on the engine (↓ from the top row to it).
  const openIds = await btc.getByTestId('open-order-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-client-order-id')))
  for (let i = 0; i <= openIds.indexOf(btcOrder); i++) await page.keyboard.press('ArrowDown')
  await expect(rowIn(btc, btcOrder)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Delete')
  await expect(rowIn(btc, btcOrder)).toHaveCount(0)
  const open = await engineCall(engine, 'orders.list', { scope: 'open' })
  expect((open as { value: { clientOrderId: string }[] }).value.map((o) => o.clientOrderId)).not.toContain(btcOrder)
  await expect(rowIn(eth, ethOrder)).toBeVisible()

  // A market buy on BTC/USDT shows in that view's fills, and its position grows by what was bought.
  const positionOf = async (view: Locator) => Number(await view.getByTestId('my-orders-position').getAttribute('data-amount'))
  await expect(btc.getByTestId('my-orders-position')).not.toHaveAttribute('data-state', 'loading')
  const heldBefore = await positionOf(btc)
  const ethHeld = await positionOf(eth)
  const bought = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.001' } })
  expect(bought.ok, JSON.stringify(bought)).toBe(true)
  const boughtId = (bought as { value: { clientOrderId: string } }).value.clientOrderId
  await btc.getByTestId('my-orders-tab-fills').click()
  await expect(btc.locator(`[data-testid="fill-row"][data-client-order-id="${boughtId}"]`).first()).toBeVisible()
  await eth.getByTestId('my-orders-tab-fills').click()
  await expect(eth.locator(`[data-testid="fill-row"][data-client-order-id="${boughtId}"]`)).toHaveCount(0)
  // What the fills added: their amounts less a fee taken in BTC (a buy's fee is in the base asset here).
  const fills = await engineCall(engine, 'fills.list', { limit: 200 })
  const mine = (fills as { value: { clientOrderId: string | null; amount: string; feeAmount: string; feeAsset: string }[] }).value.filter((f) => f.clientOrderId === boughtId)
  expect(mine.length).toBeGreaterThan(0)
  const added = mine.reduce((sum, f) => sum + Math.round(Number(f.amount) * 1e8) - (f.feeAsset === 'BTC' ? Math.round(Number(f.feeAmount) * 1e8) : 0), 0)
  expect(added).toBeGreaterThan(0)
  await expect.poll(async () => Math.round(((await positionOf(btc)) - heldBefore) * 1e8)).toBe(added)
  await expect(btc.getByTestId('my-orders-position')).toHaveAttribute('data-state', 'held')
  await expect(btc.getByTestId('my-orders-position-avg')).not.toHaveText('—')
  await expect(btc.getByTestId('my-orders-position')).toContainText('BTC')
  expect(await positionOf(eth)).toBe(ethHeld)

  // "Cancel all" in the ETH/USDT view cancels that market's open orders only.
  await eth.getByTestId('my-orders-tab-open').click()
  await eth.getByTestId('my-orders-cancel-all').click()
  await expect(rowIn(eth, ethOrder)).toHaveCount(0)
  await expect.poll(() => count(eth, 'open')).toBe(0)
  const history = await engineCall(engine, 'orders.list', { scope: 'history' })
  expect((history as { value: { clientOrderId: string; status: string }[] }).value.find((o) => o.clientOrderId === ethOrder)?.status).toBe('canceled')
  expect((await engineCall(engine, 'conditional.cancel', { id: stopId })).ok).toBe(true)
  expect(problems, 'no console errors').toEqual([])
})
